"""One import measurement in a fresh process, printed as one JSON line.

    python bench/import_bench.py floor COUNT    read + parse + sanitize, no database
    python bench/import_bench.py import COUNT   import_paths() into a new SQLite file

Peak RSS is the process's own maximum (ru_maxrss), so each run needs its own process. The import
runs with DEBUG off (no query log) on var/bench/import-COUNT.sqlite3, migrated before the clock
starts; that file is kept for the page and search benchmarks.
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


def run_import(count):
    from django.core.management import call_command

    from articles.ingest.service import CREATED, ImportOptions, import_paths

    call_command("migrate", verbosity=0)
    created = 0
    start = time.perf_counter()
    for outcome in import_paths(shard_dirs(count), ImportOptions(publish=True)):
        created += outcome.outcome == CREATED
    return created, time.perf_counter() - start


def main(mode, count):
    db = database_path(count) if mode == "import" else ROOT.parent / "floor.sqlite3"
    if mode == "import":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    setup_django(f"sqlite:///{db}")
    files, seconds = (floor if mode == "floor" else run_import)(count)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "mode": mode,
                "count": count,
                "files": files,
                "seconds": seconds,
                "rate": files / seconds,
                "peak_mb": peak_mb,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
