# Reader search (issue 5): a derived plain-text column and a trigram index over it.
# SQLite: an FTS5 trigram table with external content, kept in sync by triggers.
# PostgreSQL: pg_trgm (a trusted extension, so the database owner may create it) and a GIN index
# with its trigram operator class, both through django.contrib.postgres.
# Note for later migrations: on SQLite, a migration that remakes articles_article drops these
# triggers; articles/tests/test_search.py fails if that happens.
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models

INDEX_SQL = {
    "sqlite": [
        "CREATE VIRTUAL TABLE article_search USING fts5(search_text, content='articles_article', content_rowid='id', tokenize='trigram')",
        "CREATE TRIGGER article_search_ai AFTER INSERT ON articles_article BEGIN "
        "INSERT INTO article_search(rowid, search_text) VALUES (new.id, new.search_text); END",
        "CREATE TRIGGER article_search_ad AFTER DELETE ON articles_article BEGIN "
        "INSERT INTO article_search(article_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
        "CREATE TRIGGER article_search_au AFTER UPDATE ON articles_article BEGIN "
        "INSERT INTO article_search(article_search, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO article_search(rowid, search_text) VALUES (new.id, new.search_text); END",
        "INSERT INTO article_search(article_search) VALUES ('rebuild')",
        # Planner statistics until a real ANALYZE replaces them: without any, SQLite walks every
        # public row through article_public_idx and tests each id against the search hits
        # (~65 ms at 100,000 articles) instead of looking the hits up by rowid (~2 ms). Writing
        # sqlite_stat1 by hand is SQLite's documented way to steer its planner.
        "ANALYZE sqlite_schema",
        "DELETE FROM sqlite_stat1 WHERE idx = 'article_public_idx'",
        "INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES ('articles_article', 'article_public_idx', '100000 50000 1')",
        "ANALYZE sqlite_schema",
    ],
}
# Not in Article.Meta.indexes: Django has no per-database index, and SQLite cannot build this one.
TRIGRAM_INDEX = GinIndex(
    fields=["search_text"], opclasses=["gin_trgm_ops"], name="article_search_trgm"
)
DROP_SQL = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS article_search_ai",
        "DROP TRIGGER IF EXISTS article_search_ad",
        "DROP TRIGGER IF EXISTS article_search_au",
        "DROP TABLE IF EXISTS article_search",
        "DELETE FROM sqlite_stat1 WHERE idx = 'article_public_idx'",
    ],
}


def fill_search_text(apps, schema_editor):
    from articles.search_index import search_document

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.only("title", "dateline", "body").iterator():
        text = search_document(article.title, article.dateline, article.body)
        Article.objects.filter(pk=article.pk).update(search_text=text)


def install_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.add_index(apps.get_model("articles", "Article"), TRIGRAM_INDEX)
    for statement in INDEX_SQL.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


def remove_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.remove_index(apps.get_model("articles", "Article"), TRIGRAM_INDEX)
    for statement in DROP_SQL.get(schema_editor.connection.vendor, ()):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("articles", "0001_initial")]
    operations = [
        migrations.AddField(
            model_name="article",
            name="search_text",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="Derived plain text that reader search indexes.",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
        TrigramExtension(),  # does nothing on SQLite
        migrations.RunPython(install_index, remove_index),
    ]
