"""Continuous ingest as `make run` runs it: how long a new file takes to reach the desk, and
the worker's memory after COUNT (default 10,000) ingested files.

The arrangement is `make run`'s: a fresh SQLite file, DEBUG on, TASKS_BACKEND=database and
`manage.py worker` (runserver is left out: the desk reads the same table), with one ingest
source at the default 60-second interval. SAMPLES files (default 3) are dropped into its folder
at moments unrelated to the polls; each one's time to its row in articles_article is printed.
Then COUNT synthetic files (bench/generate.py) arrive at once; the worker's resident memory is
read from /proc once they are all in. Images are not fetched (no network here).

    .venv/bin/python bench/ingest.py [COUNT] [SAMPLES]
    DEBUG=False .venv/bin/python bench/ingest.py 10000 0     # production's settings, no samples
"""

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE = BENCH.parent
sys.path[:0] = [str(BENCH)]

import generate  # noqa: E402

WORK = BASE / "var" / "bench" / "ingest"


def manage(env, *args, **kwargs):
    return subprocess.run(
        [sys.executable, str(BASE / "manage.py"), *args], env=env, cwd=BASE, check=True, **kwargs
    )


def count(database):
    with sqlite3.connect(database, timeout=30) as db:
        return db.execute("SELECT count(*) FROM articles_article").fetchone()[0]


def wait_for(database, expected, limit):
    started = time.monotonic()
    while count(database) < expected:
        if time.monotonic() - started > limit:
            raise SystemExit(f"only {count(database)} of {expected} articles after {limit} s")
        time.sleep(0.05)
    return time.monotonic() - started


def memory(pid):
    """(resident, peak resident) of a process, in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return tuple(int(fields[name].split()[0]) / 1024 for name in ("VmRSS", "VmHWM"))


def main(total=10_000, samples=3):
    shutil.rmtree(WORK, ignore_errors=True)
    feed = WORK / "feed"
    feed.mkdir(parents=True)
    database = WORK / "newsroom.sqlite3"
    env = {
        **os.environ,
        "DEBUG": os.environ.get("DEBUG", "True"),  # make run's; DEBUG=False for production's
        "DATABASE_URL": f"sqlite:///{database}",
        "TASKS_BACKEND": "database",
        "NEWSROOM_FETCH_IMAGES": "False",
        "LOG_LEVEL": "WARNING",
    }
    manage(env, "migrate", "-v0")
    log = (WORK / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, str(BASE / "manage.py"), "worker"],
        env=env,
        cwd=BASE,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        manage(
            env,
            "shell",
            "-c",
            "from articles.models import IngestSource; from articles.tasks import poll_later; "
            f"poll_later(IngestSource.objects.create(name='wire', path={str(feed)!r}))",
        )
        rng = random.Random(13)
        latencies = []
        for index in range(samples):
            time.sleep(rng.uniform(0, 60))
            (feed / f"new-{index}.txt").write_text(generate.article(50_000 + index), "utf-8")
            latencies.append(wait_for(database, index + 1, 180))
            print(f"new file {index + 1}: on the desk after {latencies[-1]:.1f} s", flush=True)
        generate.generate(total)
        bulk = feed / "bulk"
        bulk.mkdir()
        files = [p for shard in generate.shard_dirs(total) for p in sorted(shard.glob("*.txt"))]
        for path in files[:total]:
            os.link(path, bulk / path.name)  # arrives at once, without copying 10,000 files
        waited = wait_for(database, samples + total, 3600)
        rss, peak = memory(worker.pid)
        print(f"{total} files: on the desk after {waited:.0f} s ({total / waited:.0f} files/s)")
        print(
            f"worker memory after {total} ingested files: {rss:.0f} MB resident, {peak:.0f} MB peak"
        )
        if latencies:
            print(
                f"new file latency over {samples} samples: mean {sum(latencies) / samples:.1f} s, "
                f"max {max(latencies):.1f} s (interval 60 s)"
            )
    finally:
        worker.terminate()
        worker.wait(timeout=60)


if __name__ == "__main__":
    main(*(int(arg) for arg in sys.argv[1:3]))
