"""The page cache serves anonymous readers without the database and forgets a page on save."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from articles.models import Article


@pytest.fixture
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def article(db):
    return Article.objects.create(
        title="巴黎人工智能行动峰会在即",
        slug="paris-ai-summit",
        body="<p>为期两天的人工智能行动峰会星期一将在巴黎拉开帷幕。</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )


@pytest.mark.usefixtures("page_cache_on")
def test_second_anonymous_request_is_served_without_queries(article, django_assert_num_queries):
    client = Client()
    first = client.get(article.get_absolute_url())
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]


@pytest.mark.usefixtures("page_cache_on")
def test_saving_an_article_drops_its_cached_pages(article):
    client = Client()
    client.get(article.get_absolute_url())
    client.get("/")
    article.title = "巴黎人工智能峰会开幕"
    article.save()
    for url in (article.get_absolute_url(), "/"):
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        assert "巴黎人工智能峰会开幕" in response.content.decode()


@pytest.mark.usefixtures("page_cache_on")
def test_unpublishing_an_article_removes_it_at_once(article):
    client = Client()
    assert client.get(article.get_absolute_url()).status_code == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert client.get(article.get_absolute_url()).status_code == 404


@pytest.mark.usefixtures("page_cache_on")
def test_requests_with_a_session_bypass_the_cache(article, admin_client):
    Client().get(article.get_absolute_url())
    response = admin_client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response


@pytest.mark.usefixtures("page_cache_on")
def test_missing_pages_are_not_cached(db):
    client = Client()
    assert client.get("/articles/no-such-article/").status_code == 404
    Article.objects.create(
        title="Late arrival",
        slug="no-such-article",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(minutes=1),
    )
    assert client.get("/articles/no-such-article/").status_code == 200


def test_page_cache_is_off_by_default(article):
    assert "X-Page-Cache" not in Client().get(article.get_absolute_url())
