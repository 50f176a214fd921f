"""Reader search at 100,000 articles, one database per process, printed as one JSON line.

    python bench/search_bench.py sqlite|postgresql

The 100,000 rows are the 10,000 imported articles (real import, so title, body and search
text are what the site stores) copied ten times with unique slugs and URLs; built once and
kept (var/bench/search-100k.sqlite3, PostgreSQL database `newsroom_bench_search`). Each query
is what the search page runs for its first page: `articles.reader.search.search()` over published
articles, 20 rows. Two-character terms have no trigram and fall back to a scan.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]

from import_bench import ROOT, database_path, setup_django  # noqa: E402

TARGET = 100_000
COPIES = 10
PG_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_bench_search"
)
QUERIES = ["人工智能", "地缘政治", "半导体 芯片", "大语言模型", "拉丁美洲 能源", "乌克兰",
           "中国", "峰会", "華盛頓", "deepseek", "不存在的词语组合"]  # fmt: skip
ROUNDS = 10
BUDGET_SECONDS = 90  # stop after the round that passes this (at least two rounds)


def ensure_postgres_database():
    import psycopg

    admin_url = PG_URL.rsplit("/", 1)[0] + "/postgres"
    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill():
    """Copy the imported articles COPIES times until the table holds TARGET rows."""
    from django.core.management import call_command

    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= TARGET:
        return
    Article.objects.all().delete()
    rows = list(Article.objects.using("source").order_by("id"))
    for copy in range(COPIES):
        batch = []
        for article in rows:
            article.pk = None
            article.slug = f"{article.slug.rsplit('-c', 1)[0]}-c{copy}"
            article.source_url = f"{article.source_url.split('?')[0]}?copy={copy}"
            batch.append(article)
        Article.objects.bulk_create(batch, batch_size=500)


def open_databases(vendor, sqlite_path):
    """Django on the 100k search database of `vendor`, with the 10k import as `source`."""
    source = database_path(10_000)
    if not source.exists():
        raise SystemExit(f"{source} is missing: run `bench/import_bench.py import 10000` first")
    source_db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(source)}
    if vendor == "sqlite":
        setup_django(f"sqlite:///{sqlite_path}", source=source_db)
    else:
        ensure_postgres_database()
        setup_django(PG_URL, source=source_db)


def main(vendor):
    open_databases(vendor, ROOT.parent / "search-100k.sqlite3")
    fill()

    from articles.models import Article
    from articles.reader.search import search

    timings = []
    hits = {}
    per_query = {}
    began = time.perf_counter()
    for round_number in range(ROUNDS):
        if round_number >= 2 and time.perf_counter() - began > BUDGET_SECONDS:
            break
        for query in QUERIES:
            start = time.perf_counter()
            found = list(search(Article.objects.published(), query)[:20])
            elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            per_query[query] = max(per_query.get(query, 0), elapsed)
            hits[query] = len(found)
    timings.sort()
    print(json.dumps({
        "vendor": vendor,
        "articles": Article.objects.count(),
        "queries": len(timings),
        "median_ms": statistics.median(timings),
        "p99_ms": timings[max(0, int(len(timings) * 0.99) - 1)],
        "hits": hits,
        "slowest": max(per_query, key=per_query.get),
        "slowest_ms": max(per_query.values()),
    }, ensure_ascii=False))  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1])
