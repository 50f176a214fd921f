"""Two-character CJK queries at 100,000 articles: the bigram index against the old window scan.

    python bench/search_bigrams.py sqlite|postgresql [build|measure]   (default: both)

`build` copies the 10,000 really imported articles (var/bench/import-10000.sqlite3, from
`bench/import_bench.py import 10000`) ten times into a database of its own
(var/bench/search-bigrams-100k.sqlite3, PostgreSQL `newsroom_bench_bigrams`): rows already
sanitized by the import are stored as they are, so building takes minutes, not an hour.
A database built before migration 0005 is upgraded by `migrate` at the start of `measure`,
and that migration's time is reported (the backfill at 100,000 rows).

`measure` times what the search page runs for its first page, `search()` over published
articles, 20 rows, for each query twice: through the bigram index, and with the index path
switched off (`is_bigram_term` patched to refuse every term), which is exactly the code before
the bigram index: a LIKE scan of the newest SHORT_QUERY_WINDOW articles. Prints one JSON line.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH.parent), str(BENCH)]
os.environ.setdefault(
    "BENCH_POSTGRES_URL", "postgres://newsroom:newsroom@127.0.0.1:5432/newsroom_bench_bigrams"
)

import search_bench  # noqa: E402
from import_bench import ROOT  # noqa: E402

SQLITE_PATH = ROOT.parent / "search-bigrams-100k.sqlite3"
# Words in almost every article of the synthetic corpus, two pairs in 7% and 21% of articles
# (closer to how often 香港 occurs in real news), and two words it never contains.
QUERIES = ["香港", "台湾", "美国", "中国", "经济", "港记", "港人", "足球", "奥运"]
# For comparison, a word in almost every article that the trigram index answers.
TRIGRAM_REFERENCE = ["人工智能"]
ROUNDS = 10
CHUNK = 1000


def build():
    """Copy the source articles COPIES times (unique slug and URL per copy), streaming."""
    from django.core.management import call_command
    from django.db import models

    from articles import search_index
    from articles.models import Article

    call_command("migrate", verbosity=0)
    if Article.objects.count() >= search_bench.TARGET:
        return
    Article.objects.all().delete()
    names = [f.attname for f in Article._meta.concrete_fields if f.attname != "id"]
    with_bigrams = "search_bigrams" in names
    source_names = [name for name in names if name != "search_bigrams"]
    source = Article.objects.using("source").order_by("id").values_list("id", *source_names)
    for copy in range(search_bench.COPIES):
        last = 0
        while chunk := list(source.filter(id__gt=last)[:CHUNK]):
            last = chunk[-1][0]
            batch = []
            for row in chunk:
                values = dict(zip(source_names, row[1:], strict=True))
                values["slug"] = f"{values['slug']}-c{copy}"
                values["source_url"] = f"{values['source_url']}?copy={copy}"
                if with_bigrams:
                    values["search_bigrams"] = search_index.search_bigrams(values["search_text"])
                batch.append(Article(**values))
            # The rows were sanitized when imported; the plain bulk_create stores them as they are.
            models.QuerySet.bulk_create(Article.objects.all(), batch)


def timed_migrate():
    from django.core.management import call_command

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    return time.perf_counter() - start


def time_queries(search_module, queries=QUERIES):
    from articles.models import Article

    timings, per_query = [], {}
    for _ in range(ROUNDS):
        for query in queries:
            start = time.perf_counter()
            found = list(search_module.search(Article.objects.published(), query)[:20])
            elapsed = (time.perf_counter() - start) * 1000
            timings.append(elapsed)
            per_query.setdefault(query, []).append(elapsed)
            per_query[query + " hits"] = len(found)
    timings.sort()
    return {
        "median_ms": statistics.median(timings),
        "p99_ms": timings[max(0, int(len(timings) * 0.99) - 1)],
        "per_query_median_ms": {
            query: round(statistics.median(values), 1) if isinstance(values, list) else values
            for query, values in per_query.items()
        },
    }


def measure(vendor):
    from articles import search_index
    from articles.models import Article
    from articles.reader import search

    result = {"vendor": vendor, "migrate_s": round(timed_migrate(), 1)}
    result["articles"] = Article.objects.count()
    result["trigram index (reference)"] = time_queries(search, TRIGRAM_REFERENCE)
    if hasattr(search, "is_bigram_term"):
        result["bigram index"] = time_queries(search)
        indexed = search_index.is_bigram_term
        search_index.is_bigram_term = lambda term: False
    result["window scan (before)"] = time_queries(search)
    if hasattr(search, "is_bigram_term"):
        search_index.is_bigram_term = indexed
    print(json.dumps(result, ensure_ascii=False))


def main(vendor, step=None):
    search_bench.open_databases(vendor, SQLITE_PATH)
    if step in (None, "build"):
        build()
    if step in (None, "measure"):
        measure(vendor)


if __name__ == "__main__":
    main(*sys.argv[1:])
