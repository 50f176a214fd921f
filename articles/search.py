"""Reader search: substring matching that works for CJK text, backed by a trigram index.

Chinese has no spaces between words, so word tokenizers cannot find 人工智能 inside a sentence.
Both databases index `Article.search_text` by trigrams instead (migration 0002_search):
SQLite with an FTS5 `trigram` table kept in sync by triggers, PostgreSQL with a pg_trgm GIN
index that serves `ILIKE '%term%'`. Terms shorter than three characters have no trigram, so
they fall back to a plain LIKE over the rows the other terms already narrowed, or, when no
term is long enough, over the newest SHORT_QUERY_WINDOW articles.

This module does not import the models (the model imports `search_document` from here).
"""

import html
import re
import unicodedata
from datetime import UTC, datetime

from django.db import connections
from django.db.models import BooleanField, Case, F, Lookup, Subquery, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

# The FTS5 table of migration 0002_search; the query is fixed text with one bound parameter.
FTS_MATCH = "SELECT rowid FROM article_search WHERE article_search MATCH %s"
PG_INDEX = "article_search_trgm"
MAX_QUERY_CHARS = 200
MAX_TERMS = 8
MIN_INDEXED_CHARS = 3
# A query with no term of three characters cannot use a trigram index; it scans this many of
# the newest articles rather than the whole table.
SHORT_QUERY_WINDOW = 10_000
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")
_LIKE_SPECIALS = re.compile(r"([\\%_])")


def search_document(title, dateline, body_html):
    """The plain text search indexes: title, dateline and the body's text, tags removed."""
    body = html.unescape(_TAG.sub(" ", body_html or ""))
    return _SPACE.sub(" ", " ".join([title or "", dateline or "", body])).strip()


def normalize_query(raw):
    """A reader's query made safe to search: NFC, no control characters, bounded length."""
    text = unicodedata.normalize("NFC", (raw or "")[: MAX_QUERY_CHARS * 4])
    text = "".join(" " if unicodedata.category(ch).startswith("C") else ch for ch in text)
    return _SPACE.sub(" ", text).strip()[:MAX_QUERY_CHARS]


def query_terms(query):
    """Distinct whitespace-separated terms, at most MAX_TERMS; every term must match."""
    return list(dict.fromkeys(query.split()))[:MAX_TERMS]


class Contains(Lookup):
    """Case-insensitive substring match written as `ILIKE`, the form pg_trgm's index serves."""

    lookup_name = "search_contains"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        operator = "ILIKE" if connection.vendor == "postgresql" else "LIKE"
        return f"{lhs} {operator} {rhs} ESCAPE '\\'", (*lhs_params, *rhs_params)


def _contains(field, term):
    return Contains(F(field), Value("%" + _LIKE_SPECIALS.sub(r"\\\1", term) + "%"))


def _fts_phrase(term):
    """An FTS5 string literal: the term matched as typed, so `*`, `NEAR(` or `"` are just text."""
    return '"' + term.replace('"', '""') + '"'


def is_short(query):
    """True when no term is long enough for the trigram index (see SHORT_QUERY_WINDOW)."""
    terms = query_terms(query)
    return bool(terms) and all(len(term) < MIN_INDEXED_CHARS for term in terms)


def search(queryset, query):
    """Articles of `queryset` containing every term of `query`; title hits first, then newest."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    vendor = connections[queryset.db].vendor
    indexed = [term for term in terms if len(term) >= MIN_INDEXED_CHARS]
    scanned = terms
    if vendor == "sqlite" and indexed:
        match = " AND ".join(_fts_phrase(term) for term in indexed)
        queryset = queryset.filter(
            id__in=RawSQL(FTS_MATCH, [match])  # noqa: S611 (constant SQL, bound parameter)
        )
        scanned = [term for term in terms if len(term) < MIN_INDEXED_CHARS]
    if is_short(query):
        # A scalar cutoff (computed once) lets the database walk the published_at index.
        newest = queryset.order_by("-published_at", "-id").values("published_at")
        cutoff = Subquery(newest[SHORT_QUERY_WINDOW - 1 : SHORT_QUERY_WINDOW])
        queryset = queryset.filter(published_at__gte=Coalesce(cutoff, Value(EPOCH)))
    for term in scanned:
        queryset = queryset.filter(_contains("search_text", term))
    title_hit = Case(
        When(_contains("title", terms[0]), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return queryset.annotate(title_hit=title_hit).order_by("-title_hit", "-published_at", "-id")
