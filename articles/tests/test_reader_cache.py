"""The reader page cache: anonymous pages served from Django's cache, forgotten on any change."""

import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone, translation

from articles import services
from articles.models import Article, Image

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    """As with DEBUG off (`make test` runs with the development .env, DEBUG on)."""
    settings.PAGE_CACHE_SECONDS = 60


def make(title, slug, **fields):
    fields.setdefault("status", Article.Status.PUBLISHED)
    fields.setdefault("published_at", timezone.now() - timedelta(hours=1))
    return Article.objects.create(title=title, slug=slug, body=f"<p>{title}的正文。</p>", **fields)


@pytest.fixture
def article():
    return make("巴黎人工智能行动峰会在即", "paris-ai-summit")


def shows(url, text):
    """True when an anonymous reader's page at `url` (status 200) contains `text`."""
    response = Client().get(url)
    return response.status_code == 200 and text in response.content.decode()


PUBLIC_URLS = [
    "/en/",
    "/feeds/rss.xml",
    "/feeds/atom.xml",
    "/feeds/feed.json",
    "/sitemap-articles.xml",
]


def test_second_anonymous_request_is_a_hit_without_queries(article, django_assert_num_queries):
    client = Client()
    first = client.get(article.get_absolute_url())
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(article.get_absolute_url())
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert second["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert set(second["Cache-Control"].split(", ")) == {"public", "max-age=60"}


def test_a_stored_page_is_found_whatever_language_the_thread_served_last(article):
    """A worker thread keeps the language of its last request; the key must not depend on it."""
    assert Client().get(article.get_absolute_url())["X-Cache"] == "miss"
    for language in ("fa", "en", "zh-hant"):
        translation.activate(language)
        assert Client().get(article.get_absolute_url())["X-Cache"] == "hit"
    translation.deactivate()


def test_a_hit_answers_revalidation_with_304(article):
    client = Client()
    etag = client.get(article.get_absolute_url())["ETag"]
    response = client.get(article.get_absolute_url(), headers={"if-none-match": etag})
    assert (response.status_code, response["X-Cache"]) == (304, "hit")


def test_an_edit_is_seen_at_once_on_the_page_and_the_lists(article):
    for url in [article.get_absolute_url(), *PUBLIC_URLS]:
        Client().get(url)
    article.title = "巴黎人工智能峰会开幕"
    article.save()
    for url in [article.get_absolute_url(), "/en/", "/feeds/rss.xml", "/feeds/feed.json"]:
        assert shows(url, "巴黎人工智能峰会开幕"), url


@pytest.mark.parametrize("how", ["unpublish service", "admin-style save", "bulk update", "delete"])
def test_a_takedown_is_seen_at_once_everywhere(article, how):
    other = make("另一篇报道", "other-story")
    search = "/en/search/?q=" + "人工智能"
    for url in [article.get_absolute_url(), search, *PUBLIC_URLS]:
        assert shows(url, article.title if url.startswith("/feeds/") else article.slug), url
    if how == "unpublish service":
        services.unpublish(article)
    elif how == "admin-style save":
        article.status = Article.Status.DRAFT
        article.save()
    elif how == "bulk update":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    else:
        article.delete()
    assert Client().get(article.get_absolute_url()).status_code == 404
    for url in [search, *PUBLIC_URLS]:
        response = Client().get(url)
        assert article.slug not in response.content.decode(), url
        assert article.title not in response.content.decode(), url
    assert shows("/en/", other.title)


def test_a_changed_lead_picture_shows(article):
    image = Image.objects.create(
        article=article, role=Image.Role.LEAD, original_url="https://example.org/a.jpg"
    )
    assert 'alt=""' in Client().get(article.get_absolute_url()).content.decode()
    Image.objects.filter(pk=image.pk).update(alt_text="A harbour at dawn")
    assert shows(article.get_absolute_url(), 'alt="A harbour at dawn"')


def test_a_published_neighbour_changes_the_article_page(article):
    assert not shows(article.get_absolute_url(), "story-pager")
    make("更新的报道", "newer-story", published_at=timezone.now() - timedelta(minutes=1))
    assert shows(article.get_absolute_url(), "更新的报道")


def test_a_scheduled_article_appears_when_its_time_comes_without_any_write(article):
    make("定时发布的报道", "scheduled-story", published_at=timezone.now() + timedelta(seconds=1))
    assert Client().get("/en/")["X-Cache"] == "miss"
    assert Client().get("/en/")["X-Cache"] == "hit"
    assert not shows("/en/", "定时发布的报道")
    time.sleep(1.2)
    assert shows("/en/", "定时发布的报道")


def test_requests_with_a_session_bypass_the_cache(article, admin_client):
    Client().get(article.get_absolute_url())
    response = admin_client.get(article.get_absolute_url())
    assert "X-Cache" not in response


def test_private_pages_and_errors_are_not_cached(article):
    client = Client()
    assert client.get("/en/articles/no-such-article/").status_code == 404
    make("迟到的报道", "no-such-article")
    assert client.get("/en/articles/no-such-article/").status_code == 200
    assert "X-Cache" not in client.get("/healthz")
    assert "X-Cache" not in client.get("/admin/login/")


def test_the_cache_is_off_while_debugging_or_at_zero_seconds(article, settings):
    settings.PAGE_CACHE_SECONDS = 0
    assert "X-Cache" not in Client().get(article.get_absolute_url())


@pytest.mark.parametrize(("debug", "seconds"), [("False", "60"), ("True", "0")])
def test_the_cache_is_on_by_default_exactly_when_debug_is_off(debug, seconds):
    code = "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)"
    env = {**os.environ, "DEBUG": debug, "SECRET_KEY": "k" * 50}
    env.pop("PAGE_CACHE_SECONDS", None)
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == seconds
