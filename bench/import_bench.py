"""One import measurement in a fresh process, printed as one JSON line.

    python bench/import_bench.py floor COUNT                        read + parse + sanitize
    python bench/import_bench.py import COUNT [JOBS] [sqlite|postgresql]
    python bench/import_bench.py shards COUNT N                     N importers on PostgreSQL

The floor is what one core does without a database: read, parse and sanitize each file. An
import runs `import_paths()` with JOBS parsing processes (default 1: all in this process) and
DEBUG off, into a new database migrated before the clock starts: var/bench/import-COUNT.sqlite3
(kept for the page and search benchmarks) or the PostgreSQL database `newsroom_bench_import`
(BENCH_IMPORT_POSTGRES_URL), dropped and created again. Peak RSS is ru_maxrss, each process's
own maximum: the writer's (this process) and the largest parsing process's. `shards` runs N
`import_articles --shard K/N --jobs 1` processes at once over one PostgreSQL database, as
docs/operations.md describes loading a large archive, and times them from start to last exit.
"""

import json
import os
import resource
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from generate import ROOT, shard_dirs  # noqa: E402


def database_path(count):
    return ROOT.parent / f"import-{count}.sqlite3"


def setup_django(database_url, **extra_databases):
    os.environ["DEBUG"] = "False"
    os.environ.setdefault("SECRET_KEY", "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz")
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django
    from django.conf import settings

    settings.DATABASES.update(extra_databases)
    django.setup()


def floor(count):
    from articles.ingest.parser import ImportFormatError, parse_article
    from articles.ingest.service import iter_article_files
    from articles.sanitize import sanitize_html

    files = 0
    start = time.perf_counter()
    for path in iter_article_files(shard_dirs(count)):
        try:
            parsed = parse_article(path.read_bytes(), str(path))
        except ImportFormatError:
            continue
        sanitize_html(parsed.body)
        files += 1
    return files, time.perf_counter() - start


PG_URL = os.environ.get(
    "BENCH_IMPORT_POSTGRES_URL",
    "postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_bench_import",
)


def fresh_postgres_database():
    """Drop and create the bench database, waiting out autovacuum after a large import."""
    import psycopg

    admin_url, name = PG_URL.rsplit("/", 1)
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as conn:
        for attempt in range(30):
            try:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
                break
            except psycopg.errors.ObjectInUse:
                if attempt == 29:
                    raise
                time.sleep(2)
        conn.execute(f'CREATE DATABASE "{name}"')
    return PG_URL


def fresh_sqlite_database(count):
    db = database_path(count)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{db}"


def run_import(count, jobs):
    from django.core.management import call_command

    from articles.ingest.service import CREATED, ImportOptions, import_paths

    call_command("migrate", verbosity=0)
    created = 0
    start = time.perf_counter()
    for outcome in import_paths(shard_dirs(count), ImportOptions(publish=True), jobs=jobs):
        created += outcome.outcome == CREATED
    return created, time.perf_counter() - start


def run_shards(count, parts):
    import subprocess

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    env = {**os.environ, "DATABASE_URL": PG_URL, "DEBUG": "False"}
    command = [sys.executable, "manage.py", "import_articles", "--publish", "--jobs", "1"]
    command += [str(path) for path in shard_dirs(count)]
    start = time.perf_counter()
    runs = [
        subprocess.Popen(
            [*command, "--shard", f"{part}/{parts}"], cwd=ROOT.parents[2], env=env,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )
        for part in range(1, parts + 1)
    ]  # fmt: skip
    created = 0
    for run in runs:
        out, _ = run.communicate()
        summary = out.strip().splitlines()[-1] if out.strip() else ""
        # Exit status 1 with a summary: the corpus's deliberately broken files failed.
        if run.returncode not in (0, 1) or not summary.startswith("created "):
            raise RuntimeError(f"an importer failed: {out[-2000:]}")
        created += int(summary.split(",")[0].split()[-1])
    return created, time.perf_counter() - start


def main(mode, count, jobs=1, vendor="sqlite"):
    if mode == "shards":
        setup_django(fresh_postgres_database())
        files, seconds = run_shards(count, jobs)
        vendor = "postgresql"
    elif mode == "floor":
        setup_django(f"sqlite:///{ROOT.parent / 'floor.sqlite3'}")
        files, seconds = floor(count)
    else:
        url = fresh_postgres_database() if vendor == "postgresql" else fresh_sqlite_database(count)
        setup_django(url)
        files, seconds = run_import(count, jobs)
    writer_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "mode": mode,
                "count": count,
                "jobs": jobs,
                "database": vendor if mode != "floor" else None,
                "files": files,
                "seconds": seconds,
                "rate": files / seconds,
                "peak_mb": max(writer_mb, worker_mb),
                "writer_mb": writer_mb,
                "worker_mb": worker_mb,
            }
        )
    )


if __name__ == "__main__":
    mode, count, *rest = sys.argv[1:]
    main(mode, int(count), *(int(rest[0]), *rest[1:]) if rest else ())
