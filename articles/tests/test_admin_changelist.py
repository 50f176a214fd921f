"""The article list editors scan: columns, CJK search, filters, and a fixed query cost per page."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Image
from articles.tests.editorial import SEED_TITLE, import_seed, make_editor

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def make_articles(count, start=0):
    base = datetime(2025, 2, 1, tzinfo=UTC)
    for n in range(start, start + count):
        article = Article.objects.create(
            title=f"Wire story {n}",
            slug=f"wire-story-{n}",
            body=f"<p>Paragraph {n} " + "long text " * 200 + "</p>",
            status=Article.Status.PUBLISHED if n % 2 else Article.Status.DRAFT,
            published_at=base + timedelta(hours=n),
            language="en",
            source_name="Voice of America",
            source_url=f"https://www.voanews.com/a/story-{n}.html",
            pending_import={"values": {}, "file_name": f"{n}.txt"} if n % 5 == 0 else None,
        )
        Image.objects.create(article=article, original_url=f"https://gdb.voanews.com/{n}.jpg")


def titles(response):
    return [article.title for article in response.context["cl"].result_list]


def test_list_shows_the_columns_editors_scan(editor_client):
    import_seed()
    page = editor_client.get(CHANGELIST).content.decode()
    for column in ("Title", "Status", "Published at", "Source", "Language", "Updated"):
        assert f">{column}<" in page or f">{column}</a>" in page, column
    assert "column-conflict" in page
    assert SEED_TITLE in page


def test_search_finds_chinese_inside_a_sentence(editor_client):
    import_seed()
    make_articles(3)
    response = editor_client.get(CHANGELIST, {"q": "人工智能"})
    assert titles(response) == [SEED_TITLE]
    # A word from the middle of the body, not the title.
    assert titles(editor_client.get(CHANGELIST, {"q": "深度求索"})) == [SEED_TITLE]


def test_search_by_source_url(editor_client):
    import_seed()
    make_articles(3)
    assert titles(editor_client.get(CHANGELIST, {"q": "7968583"})) == [SEED_TITLE]
    assert titles(editor_client.get(CHANGELIST, {"q": "story-2.html"})) == ["Wire story 2"]


def test_filters_by_conflict_status_source_and_language(editor_client):
    import_seed()
    make_articles(10)
    conflicts = titles(editor_client.get(CHANGELIST, {"conflict": "yes"}))
    assert sorted(conflicts) == ["Wire story 0", "Wire story 5"]
    drafts = titles(editor_client.get(CHANGELIST, {"status__exact": "draft"}))
    assert len(drafts) == 5
    chinese = titles(editor_client.get(CHANGELIST, {"language__exact": "zh-Hans"}))
    assert chinese == [SEED_TITLE]
    voa = titles(editor_client.get(CHANGELIST, {"source_name__exact": "Voice of America"}))
    assert len(voa) == 10


def test_date_hierarchy_on_publish_date(editor_client):
    import_seed()
    Article.objects.create(
        title="Older story", slug="older", published_at=datetime(2024, 5, 1, tzinfo=UTC)
    )
    page = editor_client.get(CHANGELIST).content.decode()
    assert "?published_at__year=2025" in page and "?published_at__year=2024" in page
    assert titles(editor_client.get(CHANGELIST, {"published_at__year": "2025"})) == [SEED_TITLE]


def test_a_page_costs_the_same_queries_for_5_or_100_articles(
    editor_client, django_assert_num_queries
):
    make_articles(5)
    editor_client.get(CHANGELIST)  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        editor_client.get(CHANGELIST)
    make_articles(95, start=5)
    with django_assert_num_queries(len(few.captured_queries)) as many:
        response = editor_client.get(CHANGELIST)
    assert len(response.context["cl"].result_list) == 100
    assert len(many.captured_queries) == len(few.captured_queries)
    # Bodies stay in the database: the list needs none of them.
    rows = [
        q["sql"]
        for q in many.captured_queries
        if q["sql"].startswith('SELECT "articles_article"."id"')
    ]
    assert len(rows) == 1
    assert '"articles_article"."body"' not in rows[0]


def test_conflict_flag_marks_only_articles_with_a_waiting_import(editor_client):
    make_articles(3)  # story 0 has a pending import, 1 and 2 do not
    page = editor_client.get(CHANGELIST).content.decode()
    assert page.count('class="conflict-flag"') == 1
    assert "icon-no.svg" not in page
