"""Front-cache tags on public responses, and purges by key when an article changes.

Purges go to a fake purge endpoint on loopback that records what it was asked, standing in
for Varnish and for Fastly's API (the real Varnish is in test_front_cache_varnish.py).
"""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from articles import front_cache, services
from articles.models import Article, Image
from articles.tests.test_reader_pages import make_article

pytestmark = pytest.mark.django_db


class Recorder(BaseHTTPRequestHandler):
    """Answers every PURGE or POST with the next status of `server.statuses` (then 200)."""

    def handle_one(self):
        server = self.server
        server.requests.append((self.command, self.path, self.headers))
        status = server.statuses.pop(0) if server.statuses else 200
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_POST = handle_one

    def log_message(self, *args):
        pass


@pytest.fixture
def endpoint():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    server.requests, server.statuses = [], []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def varnish(settings, endpoint, monkeypatch):
    """A front cache that records purges; no backoff sleeps."""
    settings.FRONT_CACHE_SECONDS = 300
    settings.VARNISH_PURGE_URLS = [f"http://127.0.0.1:{endpoint.server_port}/"]
    monkeypatch.setattr(front_cache.time, "sleep", lambda seconds: None)
    return endpoint


def purged(endpoint):
    """The sets of keys purged, one per request."""
    return [set(headers["xkey-purge"].split()) for _, _, headers in endpoint.requests]


def keys(response):
    return response["Surrogate-Key"].split()


# Tags on responses


def test_an_article_page_is_tagged_with_itself_and_its_neighbours(client, settings):
    settings.FRONT_CACHE_SECONDS = 300
    now = timezone.now()
    older, middle, newer = (make_article(published_at=now - timedelta(hours=h)) for h in (3, 2, 1))
    response = client.get(middle.get_absolute_url())
    assert set(keys(response)) == {"all", *(f"article-{a.pk}" for a in (older, middle, newer))}
    assert response["Surrogate-Control"] == "max-age=300"


def test_a_list_page_is_tagged_as_a_list_and_with_every_article_it_shows(client, settings):
    settings.FRONT_CACHE_SECONDS = 300
    shown = [make_article() for _ in range(3)]
    make_article(status=Article.Status.DRAFT)
    for url in ("/en/", "/en/sources/VOA Chinese/", "/en/search/?q=Paragraph"):
        response = client.get(url)
        assert set(keys(response)) == {"all", "lists", *(f"article-{a.pk}" for a in shown)}, url


@pytest.mark.parametrize("url", ["/feeds/rss.xml", "/feeds/feed.json", "/sitemap.xml"])
def test_feeds_and_sitemaps_are_tagged_as_lists_and_feeds(client, settings, url):
    settings.FRONT_CACHE_SECONDS = 300
    make_article()
    assert set(keys(client.get(url))) == {"all", "lists", "feeds"}


def test_no_page_is_kept_at_the_front_past_the_next_scheduled_publish(client, settings):
    settings.FRONT_CACHE_SECONDS = 300
    make_article()
    make_article(published_at=timezone.now() + timedelta(seconds=90))
    max_age = int(client.get("/en/")["Surrogate-Control"].removeprefix("max-age="))
    assert 85 <= max_age <= 90


def test_without_a_front_cache_responses_carry_no_surrogate_headers(client, settings):
    settings.FRONT_CACHE_SECONDS = 0
    response = client.get(make_article().get_absolute_url())
    assert "Surrogate-Key" not in response
    assert "Surrogate-Control" not in response


def test_tagging_costs_no_query_once_the_schedule_is_known(
    client, settings, django_assert_max_num_queries
):
    settings.FRONT_CACHE_SECONDS = 300
    for _ in range(5):
        make_article()
    client.get("/en/")  # learns when the next scheduled article goes live
    with django_assert_max_num_queries(3):
        client.get("/en/?page=1")


# Purges when something changes


def test_editing_a_public_article_purges_its_pages_and_the_feeds(
    varnish, django_capture_on_commit_callbacks
):
    article = make_article()
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.title = "Corrected"
        article.save()
    assert purged(varnish) == [{f"article-{article.pk}", "feeds"}]


def test_publishing_purges_the_lists_and_the_neighbours_pages(
    varnish, django_capture_on_commit_callbacks
):
    now = timezone.now()
    older = make_article(published_at=now - timedelta(hours=3))
    newer = make_article(published_at=now - timedelta(hours=1))
    draft = make_article(status=Article.Status.DRAFT, published_at=now - timedelta(hours=2))
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(draft)
    assert purged(varnish) == [
        {f"article-{draft.pk}", f"article-{older.pk}", f"article-{newer.pk}", "lists", "feeds"}
    ]


@pytest.mark.parametrize("takedown", ["unpublish", "delete"])
def test_a_takedown_purges_the_article_and_the_lists(
    varnish, django_capture_on_commit_callbacks, takedown
):
    article = make_article(lead=False)
    pk = article.pk
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        if takedown == "unpublish":
            services.unpublish(article)
        else:
            article.delete()
    assert purged(varnish) == [{f"article-{pk}", "lists", "feeds"}]


def test_editing_a_draft_purges_nothing(varnish, django_capture_on_commit_callbacks):
    draft = make_article(status=Article.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True):
        draft.title = "Still a draft"
        draft.save()
    assert varnish.requests == []


def test_a_fetched_picture_purges_its_article(varnish, django_capture_on_commit_callbacks):
    article = make_article()
    image = Image.objects.get(article=article)
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        image.caption = "New caption"
        image.save()
    assert purged(varnish) == [{f"article-{article.pk}", "feeds"}]


def test_a_bulk_update_purges_everything(varnish, django_capture_on_commit_callbacks):
    make_article()
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.update(source_name="Renamed")
    assert purged(varnish) == [{"all"}]


def test_nothing_is_purged_before_the_transaction_commits(
    varnish, django_capture_on_commit_callbacks
):
    article = make_article()
    varnish.requests.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.unpublish(article)
    assert varnish.requests == []
    for callback in callbacks:
        callback()
    assert purged(varnish) == [{f"article-{article.pk}", "lists", "feeds"}]


# Purgers


def test_a_failing_purge_is_retried_until_it_succeeds(varnish):
    varnish.statuses = [503, 500]
    result = front_cache.purge.enqueue(["article-1"])
    assert result.status == "SUCCESSFUL"
    assert [method for method, _, _ in varnish.requests] == ["PURGE"] * 3


def test_a_purge_that_keeps_failing_is_reported(varnish, caplog):
    varnish.statuses = [503] * front_cache.ATTEMPTS
    result = front_cache.purge.enqueue(["article-1"])
    assert result.status == "FAILED"
    assert len(varnish.requests) == front_cache.ATTEMPTS
    assert "front cache purge of article-1 failed" in caplog.text


def test_fastly_is_purged_by_surrogate_key_in_batches(settings, endpoint):
    settings.FASTLY_API_URL = f"http://127.0.0.1:{endpoint.server_port}"
    settings.FASTLY_SERVICE_ID = "SERVICE123"
    settings.FASTLY_API_TOKEN = "secret-token"
    many = [f"article-{n}" for n in range(300)]
    assert front_cache.purge.enqueue(many).status == "SUCCESSFUL"
    assert [(method, path) for method, path, _ in endpoint.requests] == [
        ("POST", "/service/SERVICE123/purge")
    ] * 2
    sent = [headers["Surrogate-Key"].split() for _, _, headers in endpoint.requests]
    assert sent == [many[:256], many[256:]]
    assert {headers["Fastly-Key"] for _, _, headers in endpoint.requests} == {"secret-token"}


def test_purge_urls_must_be_http(settings):
    settings.VARNISH_PURGE_URLS = ["file:///etc/passwd"]
    assert front_cache.purge.enqueue(["all"]).status == "FAILED"


def test_api_responses_are_tagged_like_the_pages(client, settings):
    settings.FRONT_CACHE_SECONDS = 300
    shown = [make_article() for _ in range(2)]
    listed = client.get("/api/v1/articles/")
    assert set(keys(listed)) == {"all", "lists", *(f"article-{a.pk}" for a in shown)}
    detail = client.get(f"/api/v1/articles/{shown[0].slug}/")
    assert set(keys(detail)) == {"all", f"article-{shown[0].pk}"}
    for url in ("/api/v1/sources/", "/api/v1/languages/"):
        assert set(keys(client.get(url))) == {"all", "lists"}, url
