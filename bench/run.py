"""`make bench`: every figure beside its floor, measured in this run, printed as one table.

    .venv/bin/python bench/run.py              1,000 and 10,000 files, pages, search
    BENCH_FULL=1 .venv/bin/python bench/run.py adds the 100,000-file imports
    BENCH_SECTIONS=import .venv/bin/python bench/run.py   only some sections (import, pages,
                                                          front, search; comma-separated)

Targets (issues 6 and 12): import on SQLite ≥ 0.7× the one-core floor's files/s, on PostgreSQL
2 jobs ≥ 1.3× 1 job, 100k peak RSS ≤ 1.2× the 10k peak;
pages and API endpoints ≥ 0.35× the floor uncached and ≥ 0.9× with the page cache; (issue 16)
pages through Varnish ≥ 0.5× nginx serving the same bytes, an editor's save to the fresh page
under 1 s p99.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE = BENCH.parent
PY = sys.executable
sys.path[:0] = [str(BASE), str(BENCH)]

import generate  # noqa: E402
import pages  # noqa: E402
from import_bench import database_path  # noqa: E402


def child(*args, timeout=7200):
    out = subprocess.run(
        [PY, *args], cwd=BASE, capture_output=True, text=True, timeout=timeout, check=False
    )
    if out.returncode:
        raise RuntimeError(f"{' '.join(args)} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


IMPORT_RUNS = (("sqlite", 1), ("sqlite", 2), ("postgresql", 1), ("postgresql", 2))


class Rows(list):
    """Rows that are also printed as they come: a long run is never all-or-nothing."""

    def append(self, row):
        print(" | ".join(row), file=sys.stderr, flush=True)
        super().append(row)


def import_rows(sizes):
    """Each import beside the one-core floor of the same files; PostgreSQL's 2 jobs beside 1."""
    rows, peaks = Rows(), {}
    for count in sizes:
        generate.generate(count)
        floor = child("bench/import_bench.py", "floor", str(count))
        rows.append((
            f"read+parse+sanitize {count:,} files (floor)",
            f"{floor['rate']:.0f} files/s, {floor['peak_mb']:.0f} MB peak",
            "one core, no database",
            "—",
        ))  # fmt: skip
        single = {}
        for vendor, jobs in IMPORT_RUNS:
            done = child("bench/import_bench.py", "import", str(count), str(jobs), vendor)
            peaks[count, vendor, jobs] = done["peak_mb"]
            single.setdefault(vendor, done["rate"])
            if vendor == "postgresql" and jobs > 1:
                versus = f"{single[vendor]:.0f} files/s with 1 job"
                ratio = f"{done['rate'] / single[vendor]:.2f}× (≥1.30)"
            else:
                versus = f"{floor['rate']:.0f} files/s floor"
                target = " (≥0.70)" if vendor == "sqlite" else ""
                ratio = f"{done['rate'] / floor['rate']:.2f}×{target}"
            rows.append((
                f"import {count:,} files ({vendor}, {jobs} job{'s' if jobs > 1 else ''})",
                f"{done['rate']:.0f} files/s, {done['peak_mb']:.0f} MB peak",
                versus,
                ratio,
            ))  # fmt: skip
        shards = child("bench/import_bench.py", "shards", str(count), "2")
        rows.append((
            f"import {count:,} files (postgresql, 2 importers by --shard)",
            f"{shards['rate']:.0f} files/s, {shards['peak_mb']:.0f} MB peak",
            f"{single['postgresql']:.0f} files/s with 1 job",
            f"{shards['rate'] / single['postgresql']:.2f}×",
        ))  # fmt: skip
    if 100_000 in sizes and 10_000 in sizes:
        for vendor, jobs in IMPORT_RUNS:
            growth = peaks[100_000, vendor, jobs] / peaks[10_000, vendor, jobs]
            rows.append((
                f"import memory 100k / 10k ({vendor}, {jobs} job{'s' if jobs > 1 else ''})",
                f"{growth:.2f}×",
                "—",
                f"{growth:.2f}× (≤1.20)",
            ))  # fmt: skip
    return rows


def page_rows():
    """Reader pages and the Content API's list and detail, each beside its own bytes' floor."""
    subprocess.run(
        [PY, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=BASE, env=pages.server_env(database_path(1000), 0, 0), check=True,
    )  # fmt: skip
    rows = []
    for name, mode, rate, p99, floor_rate, floor_p99, floors in pages.measure(database_path(1000)):
        target = 0.9 if mode == "page cache" else 0.35
        label = f"API {name[4:]}" if name.startswith("api-") else f"{name} page"
        rows.append((
            f"{label}, {mode} (gunicorn 2 workers)",
            f"{rate:.0f} req/s, p99 {p99:.1f} ms",
            f"{floor_rate:.0f} req/s, p99 {floor_p99:.1f} ms "
            f"(runs: {floors[0][0]:.0f}, {floors[1][0]:.0f})",
            f"{rate / floor_rate:.2f}× (≥{target:.2f})",
        ))  # fmt: skip
    return rows


def front_rows():
    """Pages through Varnish beside nginx serving their bytes; an editor's save to fresh page."""
    result = child("bench/front.py")
    rows = []
    for name in ("list", "detail"):
        (rate, p99), (floor_rate, floor_p99) = result[name]["front"], result[name]["nginx"]
        rows.append((
            f"{name} page through Varnish",
            f"{rate:.0f} req/s, p99 {p99:.1f} ms",
            f"nginx, same bytes as a file: {floor_rate:.0f} req/s, p99 {floor_p99:.1f} ms",
            f"{rate / floor_rate:.2f}× (≥0.50)",
        ))  # fmt: skip
    for queue, saves in result["save_to_fresh"].items():
        rows.append((
            f"editor's save to fresh page at the front ({queue} queue)",
            f"median {saves['median_ms']:.1f} ms, p99 {saves['p99_ms']:.1f} ms",
            f"{saves['saves']} saves, each purged by a real worker",
            "p99 < 1000 ms",
        ))  # fmt: skip
    return rows


def search_rows():
    rows = []
    for vendor in ("sqlite", "postgresql"):
        result = child("bench/search_bench.py", vendor)
        rows.append((
            f"search, {result['articles']:,} articles ({vendor})",
            f"median {result['median_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms",
            f"{result['queries']} queries, first 20 results; slowest "
            f"{result['slowest']!r} {result['slowest_ms']:.0f} ms",
            "—",
        ))  # fmt: skip
    return rows


def print_table(rows):
    header = ("measure", "result", "floor (same run)", "ratio (target)")
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(4)]
    line = "| " + " | ".join(f"{{:<{w}}}" for w in widths) + " |"
    print(line.format(*header))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print(line.format(*row))


def main():
    sizes = [1_000, 10_000] + ([100_000] if os.environ.get("BENCH_FULL") == "1" else [])
    sections = {
        "import": lambda: import_rows(sizes),
        "pages": page_rows,
        "front": front_rows,
        "search": search_rows,
    }
    chosen = os.environ.get("BENCH_SECTIONS", ",".join(sections)).split(",")
    rows = []
    for name in chosen:
        new = sections[name.strip()]()
        rows += new
        if not isinstance(new, Rows):  # Rows printed themselves as they came
            for row in new:
                print(" | ".join(row), file=sys.stderr, flush=True)
    print_table(rows)


if __name__ == "__main__":
    main()
