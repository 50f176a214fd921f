# Reader search for two-character CJK terms (香港, 台湾), which have no trigram: an index over
# `search_bigrams`, every distinct pair of adjacent CJK characters (articles.search_index.search_bigrams).
# SQLite: a second FTS5 table (unicode61, rowids only) kept in sync by triggers.
# PostgreSQL: the column is a tsvector (articles.search_index.BigramsField) with a GIN index.
# The column is added with ALTER TABLE ... DEFAULT '' rather than AddField, because AddField of a
# NOT NULL column makes SQLite remake articles_article, which drops the search triggers of 0002.
# Later migrations that remake the table drop these triggers too; test_search_bigrams fails then.
import importlib

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

import articles.search_index

BATCH = 2000
SEARCH_0002 = importlib.import_module("articles.migrations.0002_search")
ORIGINAL_UPDATE_TRIGGER = next(
    sql for sql in SEARCH_0002.INDEX_SQL["sqlite"] if "TRIGGER article_search_au" in sql
)

# Before the backfill: the trigram index only needs rewriting when search_text changes, not on
# every UPDATE (a status change, or this migration's backfill of every row).
NARROW_TRIGGER_SQL = {
    "sqlite": [
        "DROP TRIGGER article_search_au",
        "CREATE TRIGGER article_search_au AFTER UPDATE OF search_text ON articles_article "
        "WHEN old.search_text IS NOT new.search_text BEGIN "
        "INSERT INTO article_search(article_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO article_search(rowid, search_text) VALUES (new.id, new.search_text); END",
    ],
}
INDEX_SQL = {
    "sqlite": [
        # Queries are single tokens and never ranked, so rowids are all the index needs to keep
        # (detail='none', columnsize=0).
        "CREATE VIRTUAL TABLE article_bigrams USING fts5(search_bigrams, content='articles_article', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 0', detail='none', columnsize=0)",
        "CREATE TRIGGER article_bigrams_ai AFTER INSERT ON articles_article BEGIN "
        "INSERT INTO article_bigrams(rowid, search_bigrams) VALUES (new.id, new.search_bigrams); END",
        "CREATE TRIGGER article_bigrams_ad AFTER DELETE ON articles_article BEGIN "
        "INSERT INTO article_bigrams(article_bigrams, rowid, search_bigrams) VALUES ('delete', old.id, old.search_bigrams); END",
        "CREATE TRIGGER article_bigrams_au AFTER UPDATE OF search_bigrams ON articles_article "
        "WHEN old.search_bigrams IS NOT new.search_bigrams BEGIN "
        "INSERT INTO article_bigrams(article_bigrams, rowid, search_bigrams) VALUES ('delete', old.id, old.search_bigrams); "
        "INSERT INTO article_bigrams(rowid, search_bigrams) VALUES (new.id, new.search_bigrams); END",
        "INSERT INTO article_bigrams(article_bigrams) VALUES ('rebuild')",
    ],
    # PostgreSQL: BIGRAMS_INDEX, built after the backfill (one pass, not 100,000 index updates).
    "postgresql": ["ANALYZE articles_article"],
}
BIGRAMS_INDEX = GinIndex(fields=["search_bigrams"], name="article_bigrams_gin")
DROP_SQL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS article_bigrams_ai",
        "DROP TRIGGER IF EXISTS article_bigrams_ad",
        "DROP TRIGGER IF EXISTS article_bigrams_au",
        "DROP TABLE IF EXISTS article_bigrams",
        "DROP TRIGGER IF EXISTS article_search_au",
        ORIGINAL_UPDATE_TRIGGER,
    ],
}


def fill_search_bigrams(connection):
    """Derive search_bigrams from search_text, BATCH rows at a time (memory stays bounded)."""
    from articles.search_index import search_bigrams

    last = 0
    with connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, search_text FROM articles_article WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            values = [(search_bigrams(text), pk) for pk, text in rows]
            cursor.executemany(
                "UPDATE articles_article SET search_bigrams = %s WHERE id = %s",
                [(bigrams, pk) for bigrams, pk in values if bigrams],
            )


def add_column(apps, schema_editor):
    column_type = "tsvector" if schema_editor.connection.vendor == "postgresql" else "text"
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD COLUMN search_bigrams {column_type} NOT NULL DEFAULT ''"
    )


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN search_bigrams")


def install_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in NARROW_TRIGGER_SQL.get(vendor, ()):
        schema_editor.execute(statement)
    fill_search_bigrams(schema_editor.connection)
    if vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), BIGRAMS_INDEX)
    for statement in INDEX_SQL.get(vendor, ()):
        schema_editor.execute(statement)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), BIGRAMS_INDEX)
    for statement in DROP_SQL.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_images")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="article",
                    name="search_bigrams",
                    field=articles.search_index.BigramsField(
                        blank=True,
                        editable=False,
                        help_text="Derived from search_text: its CJK character pairs.",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.RunPython(install_index, remove_index),
    ]
