"""Migration 0009 adds Article.byline without remaking the table: search triggers survive."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from articles.models import Article
from articles.reader import search


def triggers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name")
        return [name for (name,) in cursor.fetchall()]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers exist on SQLite only")
@pytest.mark.django_db(transaction=True)
def test_search_still_works_after_migrating_back_and_forth_over_0009():
    before = triggers()
    assert {"article_search_ai", "article_bigrams_au"} <= set(before)
    call_command("migrate", "articles", "0008", verbosity=0)
    call_command("migrate", "articles", verbosity=0)
    assert triggers() == before
    Article.objects.create(
        title="人工智能峰会",
        slug="ai",
        byline="记者甲",
        body="<p>香港会议</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    found = search.search(Article.objects.published(), "香港")
    assert [a.slug for a in found] == ["ai"]
