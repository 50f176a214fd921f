"""Pages describe themselves to machines: canonical link, OpenGraph, Twitter, JSON-LD, feeds."""

import json

import pytest
from lxml import html as lxml_html

from articles.tests.test_reader_pages import SEED_URL, import_seed, make_article


@pytest.fixture
def seed(db):
    return import_seed()


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml_html.fromstring(response.content.decode()).find("head")


def meta(head, key):
    found = head.cssselect(f'meta[property="{key}"], meta[name="{key}"]')
    return found[0].get("content") if found else None


def jsonld(head):
    scripts = head.cssselect('script[type="application/ld+json"]')
    assert len(scripts) == 1
    return json.loads(scripts[0].text)


def test_seed_jsonld_names_headline_date_image_and_publisher(client, seed):
    data = jsonld(head_of(client, seed.get_absolute_url()))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "巴黎人工智能行动峰会在即，美中竞争较量惹关注"
    assert data["datePublished"].startswith("2025-02-09T16:47:40")
    assert data["image"] == [
        "https://gdb.voanews.com/51d023ef-1a95-43fd-a030-70b93c47b938_r1_s_w900.jpg"
    ]
    assert data["publisher"] == {"@type": "Organization", "name": "Newsroom"}
    assert data["inLanguage"] == "zh-Hans"
    assert data["isBasedOn"] == SEED_URL
    assert data["dateline"] == "华盛顿"


def test_a_hostile_title_cannot_break_out_of_the_jsonld_script(client, db):
    title = 'Evil</script><script>alert(1)</script><!-- & "quoted"'
    article = make_article(title=title)
    raw = client.get(article.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in raw
    assert "<script>" not in raw
    head = lxml_html.fromstring(raw).find("head")
    assert jsonld(head)["headline"] == title
    assert meta(head, "og:title") == title


def test_seed_page_has_canonical_opengraph_and_twitter_tags(client, seed):
    url = "http://testserver" + seed.get_absolute_url()
    head = head_of(client, seed.get_absolute_url())
    assert head.cssselect('link[rel="canonical"]')[0].get("href") == url
    assert meta(head, "og:type") == "article"
    assert meta(head, "og:url") == url
    assert meta(head, "og:title") == seed.title
    assert meta(head, "og:image").startswith("https://gdb.voanews.com/")
    assert meta(head, "article:published_time") == "2025-02-09T16:47:40+00:00"
    assert meta(head, "twitter:card") == "summary_large_image"
    assert meta(head, "description").startswith("为期两天的人工智能")


def test_pages_link_the_feeds_of_their_language(client, seed):
    for url, prefix in [("/en/", "/en"), (seed.get_absolute_url(), "/zh-hans")]:
        head = head_of(client, url)
        links = {
            link.get("type"): link.get("href")
            for link in head.cssselect('link[rel="alternate"][type]')
        }
        assert links == {
            "application/rss+xml": f"{prefix}/feeds/rss.xml",
            "application/atom+xml": f"{prefix}/feeds/atom.xml",
            "application/feed+json": f"{prefix}/feeds/feed.json",
        }
