# Article.byline: who wrote the article, as the source credits them.
# The column is added with ALTER TABLE ... DEFAULT '' rather than AddField, because AddField of a
# NOT NULL column makes SQLite remake articles_article, which drops the search triggers of 0002
# and 0005 (test_search_after_migrating checks they survive). The history table has no
# triggers, so a plain AddField serves it.
from django.db import migrations, models

ADD_SQL = "ALTER TABLE articles_article ADD COLUMN byline varchar(300) NOT NULL DEFAULT ''"
DROP_SQL = "ALTER TABLE articles_article DROP COLUMN byline"
HELP = "Who wrote the article, as the source credits them (plain text)."


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_api_tokens")]
    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="article",
                    name="byline",
                    field=models.CharField(blank=True, help_text=HELP, max_length=300),
                ),
            ],
            database_operations=[migrations.RunSQL(ADD_SQL, DROP_SQL)],
        ),
        migrations.AddField(
            model_name="historicalarticle",
            name="byline",
            field=models.CharField(blank=True, help_text=HELP, max_length=300),
        ),
    ]
