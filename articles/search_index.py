"""What reader search indexes, derived from an article on every save.

`Article.save()` stores `search_text` (the plain text of title, dateline and body) and
`search_bigrams` (its pairs of adjacent CJK characters). The indexes over them are built by the
migrations; the queries that use them live in `articles.reader.search`. This module imports no
models, so the model can import its derivations from here.
"""

import re

from django.contrib.postgres.search import SearchVectorField

from articles.sanitize import html_to_text
from articles.scripts import fold

# Letters of the scripts written without spaces between words: Han (with 々 and 〇), Kana and
# Hangul. Only letters, so an index tokenizer never splits a pair; punctuation ends a run.
CJK_RUN = re.compile(
    "[\u1100-\u11ff\u3005\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3131-\u318e\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
    "\uff66-\uff9d\U00020000-\U0003134f]{2,}"
)


def search_document(title, dateline, body_html):
    """The plain text search indexes: title, dateline and the body's text, in one script.

    Traditional characters are folded to Simplified (articles.scripts.fold), as queries are, so
    臺灣, 台灣 and 台湾 find each other through the same index.
    """
    text = " ".join(part for part in (title, dateline, html_to_text(body_html)) if part)
    return fold(text.strip())


def search_bigrams(text):
    """The distinct pairs of adjacent CJK characters in `text`, space-separated, first seen first.

    "在香港举行" gives "在香 香港 港举 举行": a two-character CJK term occurs in the text exactly
    when it is one of these tokens, so a word index over them answers what trigrams cannot.
    A pair never spans a Latin letter, a digit, a space or punctuation: 香港DeepSeek gives no 港D.
    """
    pairs = dict.fromkeys(
        run[i : i + 2] for run in CJK_RUN.findall(text or "") for i in range(len(run) - 1)
    )
    return " ".join(pairs)


def is_bigram_term(term):
    """True for a term the bigram index answers: exactly two CJK characters."""
    return len(term) == 2 and CJK_RUN.fullmatch(term) is not None


class BigramsField(SearchVectorField):
    """search_bigrams: a tsvector on PostgreSQL (GIN-indexed), plain text on SQLite (FTS5).

    The space-separated pairs are already valid tsvector input (CJK letters only, nothing to
    quote), so PostgreSQL stores them as lexemes without running a text parser over them.
    SQLite has no tsvector; its FTS5 table tokenizes the text instead.
    """

    def db_type(self, connection):
        return "text" if connection.vendor == "sqlite" else super().db_type(connection)

    def from_db_value(self, value, expression, connection):
        # PostgreSQL prints a tsvector as quoted lexemes: '台湾' '香港'.
        return value.replace("'", "") if connection.vendor == "postgresql" and value else value


# FTS5's 'rebuild' command for SQLite's tables (migrations 0002 and 0005).
REBUILD_SQL = (
    "INSERT INTO article_search(article_search) VALUES ('rebuild')",
    "INSERT INTO article_bigrams(article_bigrams) VALUES ('rebuild')",
)


def rebuild_full_text_tables(connection):
    """Rebuild SQLite's FTS5 tables from the article rows; on PostgreSQL, refresh statistics.

    Triggers keep the FTS5 tables in step with every write; this is for rows that arrived
    without them (a table copied in from elsewhere): FTS5's documented 'rebuild' command reads
    the external content table again. PostgreSQL's index entries are always in step, but its
    planner needs ANALYZE after a large load.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for sql in REBUILD_SQL:
                cursor.execute(sql)
        else:
            cursor.execute("ANALYZE articles_article")
