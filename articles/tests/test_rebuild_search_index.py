"""`manage.py rebuild_search_index`: rows written without save() become searchable and safe."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from articles.reader import search
from articles.search_index import search_bigrams, search_document
from articles.tests.test_reader_pages import import_seed

pytestmark = pytest.mark.django_db


def found(query):
    return list(search.search(Article.objects.published(), query))


def rebuild():
    out, err = StringIO(), StringIO()
    call_command("rebuild_search_index", "--batch-size", "2", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write_without_save(article, **columns):
    """What a restore or raw SQL would leave: columns written behind save()'s back."""
    assignments = ", ".join(f"{name} = %s" for name in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE articles_article SET {assignments} WHERE id = %s",
            [*columns.values(), article.pk],
        )


def test_derived_fields_left_empty_are_derived_again_and_searchable():
    article = import_seed()
    assert found("人工智能")
    write_without_save(article, summary="", search_text="", search_bigrams="")
    assert not found("人工智能")
    assert not found("美国")  # a two-character term: the bigram index
    out, err = rebuild()
    assert "1 articles: 1 re-derived, 0 re-sanitized and saved, 0 already in step" in out
    assert "1 / 1 articles" in err
    article.refresh_from_db()
    assert article.search_text == search_document(article.title, article.dateline, article.body)
    assert set(article.search_bigrams.split()) == set(search_bigrams(article.search_text).split())
    assert article.summary
    assert [a.pk for a in found("人工智能")] == [a.pk for a in found("美国")] == [article.pk]


def test_a_body_stored_without_the_sanitizer_is_sanitized_with_a_history_row():
    article = import_seed()
    versions = article.history.count()
    write_without_save(article, body='<p onclick="x()">正文</p><script>alert(1)</script>')
    out, _ = rebuild()
    assert "0 re-derived, 1 re-sanitized and saved" in out
    article.refresh_from_db()
    assert article.body == "<p>正文</p>"
    assert article.history.count() == versions + 1
    assert article.history.first().history_change_reason == (
        "sanitized again by rebuild_search_index"
    )


def test_articles_in_step_are_left_alone():
    article = import_seed()
    version = article.version
    out, _ = rebuild()
    assert "1 articles: 0 re-derived, 0 re-sanitized and saved, 1 already in step" in out
    article.refresh_from_db()
    assert article.version == version


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
def test_full_text_tables_emptied_behind_the_triggers_are_rebuilt():
    import_seed()
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO article_search(article_search) VALUES ('delete-all')")
        cursor.execute("INSERT INTO article_bigrams(article_bigrams) VALUES ('delete-all')")
    assert not found("人工智能") and not found("美国")
    rebuild()
    assert found("人工智能") and found("美国")
