"""Profile one reader page in-process, as a production worker renders it with the cache off.

    .venv/bin/python bench/profile_page.py [PATH] [REQUESTS]   default: / and 200 requests

Uses the SQLite database that `make bench` (or bench/import_bench.py import 1000) left; prints
milliseconds a request and cProfile's top functions by own time.
"""

import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from import_bench import database_path  # noqa: E402


def main(path="/", requests="200"):
    os.environ.update(
        DEBUG="False",
        SECRET_KEY="bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DATABASE_URL=f"sqlite:///{database_path(1000)}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        PAGE_CACHE_SECONDS="0",
        CACHE_URL="locmemcache://profile",
    )
    import django

    django.setup()
    from django.test import Client

    client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
    for _ in range(20):  # warm templates and the connection
        assert client.get(path).status_code == 200
    count = int(requests)
    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    for _ in range(count):
        client.get(path)
    profile.disable()
    print(f"{(time.perf_counter() - started) / count * 1000:.1f} ms a request (profiled)")
    pstats.Stats(profile).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main(*sys.argv[1:])
