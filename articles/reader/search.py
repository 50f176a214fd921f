"""Reader search: substring matching that works for CJK text, backed by trigram and bigram indexes.

Chinese has no spaces between words, so word tokenizers cannot find 人工智能 inside a sentence.
Both databases index `Article.search_text` by trigrams instead (migration 0002_search):
SQLite with an FTS5 `trigram` table kept in sync by triggers, PostgreSQL with a pg_trgm GIN
index that serves `ILIKE '%term%'`. Two-character CJK terms (香港, 台湾: the commonest queries)
have no trigram; they are looked up as whole tokens in a second index over
`Article.search_bigrams`, every pair of adjacent CJK characters (migration 0005_search_bigrams:
an FTS5 `unicode61` table on SQLite, a GIN-indexed tsvector column on PostgreSQL). The other
short terms (one character, or Latin such as "AI") fall back to a plain LIKE over the rows the
other terms already narrowed, or, when no term uses an index, over the newest
SHORT_QUERY_WINDOW articles.

What is indexed is derived in `articles.search_index`. SQLite's FTS5 tables are something
Django does not model, so their MATCH queries are raw SQL, here (and their rebuild statement in
`search_index`); PostgreSQL's indexes are django.contrib.postgres GinIndex objects (migrations
0002 and 0005).
"""

import re
import unicodedata
from datetime import UTC, datetime

from django.conf import settings
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    Lookup,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from articles.scripts import fold
from articles.search_index import is_bigram_term

# The FTS5 table of migration 0002_search; the query is fixed text with one bound parameter.
FTS_MATCH = "SELECT rowid FROM article_search WHERE article_search MATCH %s"
# The FTS5 table of migration 0005_search_bigrams, queried the same way.
BIGRAM_MATCH = "SELECT rowid FROM article_bigrams WHERE article_bigrams MATCH %s"
PG_INDEX = "article_search_trgm"
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_INDEXED_CHARS = 3
# A query with no term that an index serves scans this many of the newest articles rather than
# the whole table.
SHORT_QUERY_WINDOW = 10_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_SPACE = re.compile(r"\s+")
_LIKE_SPECIALS = re.compile(r"([\\%_])")


def normalize_query(raw):
    """A reader's query made safe to search: NFC, no control characters, bounded length."""
    text = unicodedata.normalize("NFC", (raw or "")[: MAX_QUERY_CHARS * 4])
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return _SPACE.sub(" ", text).strip()[:MAX_QUERY_CHARS]


def query_terms(query):
    """Distinct whitespace-separated terms, at most MAX_TERMS; every term must match.

    Folded to Simplified as the index is (articles.search_index), so either script finds both.
    """
    return list(dict.fromkeys(fold(query).split()))[:MAX_TERMS]


class Contains(Lookup):
    """Case-insensitive substring match written as `ILIKE`, the form pg_trgm's index serves.

    Django's `icontains` writes `UPPER(col) LIKE UPPER(%s)` on PostgreSQL, which a trigram index
    on the column itself cannot serve.
    """

    lookup_name = "search_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
        return f"{lhs} {operator} {rhs} ESCAPE '\\'", (*lhs_params, *rhs_params)


class InWindow(Lookup):
    """`id` among the ids a subquery returns, driven by those ids.

    PostgreSQL gets `= ANY(ARRAY(...))`: the window is computed once and its ids fetched by
    primary key. As a plain IN, the planner misjudged the window and sorted every article.
    """

    lookup_name = "search_in_window"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)


def _contains(field, term):
    return Contains(F(field), Value("%" + _LIKE_SPECIALS.sub(r"\\\1", term) + "%"))


def _fts_phrase(term):
    """An FTS5 string literal: the term matched as typed, so `*`, `NEAR(` or `"` are just text."""
    return '"' + term.replace('"', '""') + '"'


class HasBigrams(Lookup):
    """PostgreSQL: the tsvector column holds every pair on the right (GIN-indexed, migration 0005).

    Django's SearchQuery always runs the text parser (to_tsquery and friends); the pairs are
    lexemes already, so a cast compares them exactly, even characters the parser would not call
    letters (〇).

    The right side is built from terms that passed is_bigram_term (CJK letters only), so quoting
    each as a tsquery lexeme cannot inject tsquery syntax.
    """

    lookup_name = "search_has_bigrams"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} @@ ({rhs})::tsquery", (*lhs_params, *rhs_params)


def _tsquery(terms):
    return " & ".join(f"'{term}'" for term in terms if is_bigram_term(term))


def _is_indexed(term):
    return len(term) >= MIN_INDEXED_CHARS or is_bigram_term(term)


def is_short(query):
    """True when no term can use an index (see SHORT_QUERY_WINDOW)."""
    terms = query_terms(query)
    return bool(terms) and not any(_is_indexed(term) for term in terms)


def _fts_filter(queryset, table_sql, terms):
    match = " AND ".join(_fts_phrase(term) for term in terms)
    return queryset.filter(id__in=RawSQL(table_sql, [match]))  # noqa: S611 (constant SQL, bound parameter)


def matching(queryset, query):
    """Articles of `queryset` containing every term of `query`, unordered."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    trigram = [term for term in terms if len(term) >= MIN_INDEXED_CHARS]
    bigram = [term for term in terms if is_bigram_term(term)]
    scanned = [term for term in terms if not _is_indexed(term)]
    if vendor == "sqlite":
        if trigram:
            queryset = _fts_filter(queryset, FTS_MATCH, trigram)
        if bigram:
            queryset = _fts_filter(queryset, BIGRAM_MATCH, bigram)
    elif vendor == "postgresql":
        scanned += trigram  # pg_trgm's index serves ILIKE itself
        if bigram:
            queryset = queryset.filter(HasBigrams(F("search_bigrams"), Value(_tsquery(bigram))))
    else:
        scanned = terms
    if is_short(query):
        # A scalar cutoff (computed once) lets the database walk the published_at index.
        newest = queryset.order_by("-published_at", "-id").values("published_at")
        cutoff = Subquery(newest[SHORT_QUERY_WINDOW - 1 : SHORT_QUERY_WINDOW])
        queryset = queryset.filter(published_at__gte=Coalesce(cutoff, Value(EPOCH)))
    for term in scanned:
        queryset = queryset.filter(_contains("search_text", term))
    return queryset


def max_results():
    """How many matches one search ranks (settings.NEWSROOM_SEARCH_MAX_RESULTS)."""
    return settings.NEWSROOM_SEARCH_MAX_RESULTS


def _sql(queryset):
    return queryset.query.sql_with_params()


def _walk_predicates(vendor, terms):
    """SQL conditions on a row `n` (id, search_text, search_bigrams) checked one row at a time."""
    conditions, params = [], []
    for term in terms:
        if vendor == "sqlite" and _is_indexed(term):
            table = "article_search" if len(term) >= MIN_INDEXED_CHARS else "article_bigrams"
            # The hit list (ids only) is built once; probing FTS5 row by row cost more.
            hit_list = f"SELECT rowid FROM {table} WHERE {table} MATCH %s"  # noqa: S608
            conditions.append(f"n.id IN ({hit_list})")
            params.append(_fts_phrase(term))
        elif vendor == "postgresql" and is_bigram_term(term):
            conditions.append("n.search_bigrams @@ (%s)::tsquery")
            params.append(_tsquery([term]))
        else:
            operator = "ILIKE" if vendor == "postgresql" else "LIKE"
            conditions.append(f"n.search_text {operator} %s ESCAPE '\\'")
            params.append("%" + _LIKE_SPECIALS.sub(r"\\\1", term) + "%")
    return " AND ".join(conditions), params


def _window(queryset, query, limit):
    """SQL for the ids a search ranks, and SQL counting matches up to limit + 1 (both bounded).

    The count asks the index for any limit + 1 hits, unordered, so it stops early. When it finds
    no more than `limit`, the window is every match, found through the index. Otherwise the word
    is common: the window is the newest `limit` matches among the newest SHORT_QUERY_WINDOW
    public articles, walked newest first and checked one by one, so it stops at `limit` hits.
    Letting the planner pick instead sorted every match (seconds; PostgreSQL misjudges how many
    rows a trigram ILIKE matches). The count runs as a scalar subquery the database evaluates
    once per branch, so one statement picks its branch.
    """
    vendor = connections[queryset.db].vendor
    matches_sql, matches_params = _sql(
        matching(queryset, query).order_by().values("id")[: limit + 1]
    )
    probe = f"(SELECT COUNT(*) FROM ({matches_sql}) AS probe)"  # noqa: S608 (compiled SQL)
    conditions, condition_params = _walk_predicates(vendor, query_terms(query))
    # Only the columns the conditions read: loading every search_text costs more than FTS5.
    read = [name for name in ("search_text", "search_bigrams") if f"n.{name}" in conditions]
    # The count's test sits inside the walked subquery too: SQLite then skips its loop.
    common = RawSQL(f"{probe} > %s", (*matches_params, limit), output_field=BooleanField())  # noqa: S611
    newest = queryset.filter(common).order_by("-published_at", "-id")
    newest_sql, newest_params = _sql(
        newest.values("id", "published_at", *read)[:SHORT_QUERY_WINDOW]
    )
    hits = f"SELECT hits.id FROM ({matches_sql}) AS hits WHERE {probe} <= %s"  # noqa: S608
    walked = f"SELECT n.id FROM ({newest_sql}) AS n WHERE {conditions} LIMIT %s"  # noqa: S608
    window = f"{hits} UNION ALL SELECT id FROM ({walked}) AS walked"  # noqa: S608
    params = (
        *matches_params, *matches_params, limit,
        *newest_params, *condition_params, limit,
    )  # fmt: skip
    return window, params, probe, matches_params


def search(queryset, query, limit=None):
    """At most `limit` matches of `query` in `queryset`, title hits first, then newest.

    Ranking and counting every match of a common word took seconds (tens of seconds on
    PostgreSQL) and tied up a worker, so the page runs one bounded statement (see _window).
    Each row carries `found`, how many articles the window holds, and `probed`, how many
    matches there are, counted up to limit + 1: more than `limit` means the window shows the
    newest matches only.
    """
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    limit = limit or max_results()
    window, params, probe, probe_params = _window(queryset, query, limit)
    title_hit = Case(
        When(_contains("title", terms[0]), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        queryset.filter(InWindow(F("id"), RawSQL(window, params)))  # noqa: S611 (our SQL, bound parameters)
        .annotate(
            title_hit=title_hit,
            found=Window(Count("*")),
            probed=RawSQL(probe, probe_params),  # noqa: S611 (our SQL, bound parameters)
        )
        .order_by("-title_hit", "-published_at", "-id")
    )
