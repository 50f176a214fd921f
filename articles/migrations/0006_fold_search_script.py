# Cross-script search: search_text now holds Traditional characters folded to Simplified
# (articles.search_index.search_document), and queries are folded the same way. This refolds the
# rows saved before, and their search_bigrams, so 臺灣 finds articles indexed as 台灣. The
# indexes of 0002 and 0005 follow: SQLite's update triggers rewrite the FTS5 rows of each changed
# row, PostgreSQL's GIN indexes are maintained by the UPDATE itself.
from django.db import migrations

BATCH = 2000


def refold(apps, schema_editor):
    from articles.scripts import fold
    from articles.search_index import search_bigrams

    last = 0
    with schema_editor.connection.cursor() as cursor:
        while True:
            cursor.execute(
                "SELECT id, search_text FROM articles_article WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            last = rows[-1][0]
            changed = [(fold(text), pk) for pk, text in rows if text and fold(text) != text]
            cursor.executemany(
                "UPDATE articles_article SET search_text = %s, search_bigrams = %s WHERE id = %s",
                [(text, search_bigrams(text), pk) for text, pk in changed],
            )


class Migration(migrations.Migration):
    dependencies = [("articles", "0005_search_bigrams")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop, elidable=False)]
