"""RSS, Atom, JSON Feed, sitemaps: parse each and check it lists exactly the public articles."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from articles.models import Article
from articles.tests.test_reader_pages import SEED_URL, import_seed, make_article

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture
def seed(db):
    return import_seed()


@pytest.fixture
def articles(db):
    now = timezone.now()
    return {
        "fresh": make_article(
            title="Fresh <b>&amp; bold</b>", published_at=now - timedelta(hours=2)
        ),
        "old": make_article(title="Old story", published_at=now - timedelta(days=10)),
        "draft": make_article(title="Draft story", status=Article.Status.DRAFT),
        "scheduled": make_article(title="Scheduled story", published_at=now + timedelta(hours=5)),
    }


def xml_of(client, url, content_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    return ElementTree.fromstring(response.content)


def test_rss_feed_parses_and_lists_public_articles(client, articles):
    root = xml_of(client, "/feeds/rss.xml", "application/rss+xml")
    assert root.tag == "rss"
    items = root.findall("channel/item")
    assert [i.findtext("title") for i in items] == ["Fresh <b>&amp; bold</b>", "Old story"]
    assert items[0].findtext("link") == "http://testserver" + articles["fresh"].get_absolute_url()
    assert items[0].findtext("pubDate")
    assert "<p>Paragraph of article" in items[0].findtext("description")


def test_atom_feed_parses_and_lists_public_articles(client, articles):
    root = xml_of(client, "/feeds/atom.xml", "application/atom+xml")
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Fresh <b>&amp; bold</b>", "Old story"]
    assert entries[0].findtext(f"{ATOM}published")
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "http://testserver/feeds/atom.xml"


def test_json_feed_follows_version_1_1(client, articles):
    response = client.get("/feeds/feed.json")
    assert response["Content-Type"].startswith("application/feed+json")
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "http://testserver/feeds/feed.json"
    assert [item["title"] for item in feed["items"]] == ["Fresh <b>&amp; bold</b>", "Old story"]
    item = feed["items"][0]
    assert item["id"] == item["url"] == "http://testserver" + articles["fresh"].get_absolute_url()
    assert item["content_html"].startswith("<p>")
    assert item["image"].startswith("https://gdb.voanews.com/")
    assert item["authors"] == [{"name": "VOA Chinese"}]
    assert item["date_published"]


def test_json_feed_credits_the_seed_in_its_language(client, seed):
    item = json.loads(client.get("/feeds/feed.json").content)["items"][0]
    assert item["language"] == "zh-Hans"
    assert item["external_url"] == SEED_URL


def test_sitemap_index_lists_article_and_news_sitemaps(client, articles):
    root = xml_of(client, "/sitemap.xml", "application/xml")
    locations = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locations == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-news.xml",
    ]


def test_article_sitemap_lists_every_public_article(client, articles):
    root = xml_of(client, "/sitemap-articles.xml", "application/xml")
    locations = {loc.text for loc in root.iter(f"{SITEMAP}loc")}
    expected = {"http://testserver" + articles[k].get_absolute_url() for k in ("fresh", "old")}
    assert locations == expected
    assert all(url.findtext(f"{SITEMAP}lastmod") for url in root.iter(f"{SITEMAP}url"))


def test_news_sitemap_lists_the_last_two_days_in_google_news_format(client, articles, seed):
    root = xml_of(client, "/sitemap-news.xml", "application/xml")
    urls = root.findall(f"{SITEMAP}url")
    assert [u.findtext(f"{SITEMAP}loc") for u in urls] == [
        "http://testserver" + articles["fresh"].get_absolute_url()
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}title") == "Fresh <b>&amp; bold</b>"
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Newsroom"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date").startswith(
        articles["fresh"].published_at.strftime("%Y-%m-%dT%H:%M")
    )


def test_news_sitemap_names_chinese_as_google_expects(client, seed):
    seed.published_at = timezone.now() - timedelta(hours=1)
    seed.save()
    root = xml_of(client, "/sitemap-news.xml", "application/xml")
    assert root.find(f".//{NEWS}language").text == "zh-cn"
