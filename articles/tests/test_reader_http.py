"""HTTP behaviour of public pages: revalidation, cache and security headers, hashed static files."""

import re

import pytest
from django.core.management import call_command
from django.test import Client

from articles.tests.test_reader_pages import make_article

PUBLIC_URLS = ["/en/", "/en/search/?q=story", "/feeds/rss.xml", "/feeds/feed.json", "/sitemap.xml"]


@pytest.fixture
def article(db):
    return make_article(title="A story")


@pytest.mark.parametrize("url", ["/en/", "detail"])
def test_unchanged_page_revalidates_to_304_and_changes_when_the_article_does(client, article, url):
    url = article.get_absolute_url() if url == "detail" else url
    first = client.get(url)
    etag = first["ETag"]
    again = client.get(url, headers={"if-none-match": etag})
    assert again.status_code == 304
    assert again.content == b""
    article.title = "A corrected story"
    article.save()
    changed = client.get(url, headers={"if-none-match": etag})
    assert changed.status_code == 200
    assert "A corrected story" in changed.content.decode()
    assert changed["ETag"] != etag


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_public_pages_are_cacheable_and_carry_an_etag(client, article, url):
    response = client.get(url)
    assert response.status_code == 200
    assert "public" in response["Cache-Control"]
    assert re.search(r"max-age=\d+", response["Cache-Control"])
    assert response["ETag"]


def test_public_pages_refuse_writes(client, article):
    assert client.post("/en/").status_code == 405
    assert client.post(article.get_absolute_url()).status_code == 405


def test_pages_send_security_headers(client, article):
    response = client.get(article.get_absolute_url())
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp
    assert "script-src 'self'" in csp
    assert "style-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_pages_carry_no_inline_script_or_style(client, article):
    body = client.get(article.get_absolute_url()).content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", body)
    assert scripts == [' type="application/ld+json"']
    assert "<style" not in body
    assert " style=" not in body


def test_static_files_get_hashed_names_in_production(db, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    body = Client().get("/en/").content.decode()
    name = re.search(r'href="/static/(css/site\.[0-9a-f]{12}\.css)"', body)
    assert name, body[:600]
    assert (tmp_path / name.group(1)).exists()
    assert (tmp_path / (name.group(1) + ".gz")).exists()


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Disallow: /admin/" in text
