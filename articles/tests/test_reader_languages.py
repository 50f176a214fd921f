"""The reader's language: URL prefixes, the switcher, alternates, the chrome in each language."""

import json
from datetime import UTC, datetime

import pytest
from lxml import html as lxml_html

from articles.tests.test_reader_pages import make_article

CHROME = {
    "en": ("Latest articles", "Search", "Page not found"),
    "zh-hans": ("最新文章", "搜索", "找不到页面"),
    "zh-hant": ("最新文章", "搜尋", "找不到頁面"),
    "fa": ("تازه‌ترین مقاله‌ها", "جستجو", "صفحه پیدا نشد"),
}
TAGS = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant", "fa": "fa"}


def parse(response):
    return lxml_html.fromstring(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "prefix"),
    [("zh-CN,zh;q=0.9", "/zh-hans/"), ("zh-TW", "/zh-hant/"), ("fa-IR", "/fa/"), ("de", "/en/")],
)
def test_unprefixed_pages_redirect_to_the_readers_language(client, accept, prefix):
    response = client.get("/search/?q=x", headers={"accept-language": accept})
    assert response.status_code == 302
    assert response["Location"] == prefix + "search/?q=x"


@pytest.mark.django_db
@pytest.mark.parametrize("code", CHROME)
def test_list_search_and_404_speak_the_prefixs_language(client, code):
    make_article(title="A story")
    latest, search, not_found = CHROME[code]
    home = parse(client.get(f"/{code}/"))
    assert home.get("lang") == TAGS[code]
    assert home.get("dir") == ("rtl" if code == "fa" else "ltr")
    assert home.cssselect("h1")[0].text_content() == latest
    assert home.cssselect(".search-form button")[0].text_content() == search
    results = parse(client.get(f"/{code}/search/", {"q": "story"}))
    assert results.cssselect("h1")[0].text_content() == search
    missing = client.get(f"/{code}/articles/no-such-article/")
    assert missing.status_code == 404
    assert parse(missing).cssselect("h1")[0].text_content() == not_found


@pytest.mark.django_db
def test_switcher_is_plain_links_to_this_page_in_each_language(client):
    doc = parse(client.get("/zh-hant/search/", {"q": "台湾"}))
    links = doc.cssselect(".language-switcher a")
    assert [a.get("href") for a in links] == [
        "/en/search/?q=%E5%8F%B0%E6%B9%BE",
        "/zh-hans/search/?q=%E5%8F%B0%E6%B9%BE",
        "/zh-hant/search/?q=%E5%8F%B0%E6%B9%BE",
        "/fa/search/?q=%E5%8F%B0%E6%B9%BE",
    ]
    assert [a.get("aria-current") for a in links] == [None, None, "true", None]
    assert not doc.cssselect("script:not([type='application/ld+json'])")


@pytest.mark.django_db
def test_list_pages_have_an_alternate_in_every_language(client):
    doc = parse(client.get("/fa/"))
    alternates = {
        a.get("hreflang"): a.get("href") for a in doc.cssselect('link[rel="alternate"][hreflang]')
    }
    assert alternates == {
        "en": "http://testserver/en/",
        "zh-Hans": "http://testserver/zh-hans/",
        "zh-Hant": "http://testserver/zh-hant/",
        "fa": "http://testserver/fa/",
        "x-default": "http://testserver/",
    }


@pytest.mark.django_db
def test_chinese_article_has_both_scripts_as_alternates_and_one_canonical(client):
    article = make_article(title="台湾发展", slug="taiwan", language="zh-Hans")
    for url in ("/zh-hans/articles/taiwan/", "/zh-hant/articles/taiwan/"):
        doc = parse(client.get(url))
        alternates = {
            a.get("hreflang"): a.get("href")
            for a in doc.cssselect('link[rel="alternate"][hreflang]')
        }
        assert alternates == {
            "zh-Hans": "http://testserver/zh-hans/articles/taiwan/",
            "zh-Hant": "http://testserver/zh-hant/articles/taiwan/",
            "x-default": "http://testserver/zh-hans/articles/taiwan/",
        }
        canonical = doc.cssselect('link[rel="canonical"]')[0].get("href")
        assert canonical == "http://testserver" + article.get_absolute_url()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "url", "home"),
    [
        ("zh-Hans", "/en/articles/story/", "/zh-hans/articles/story/"),
        ("fa", "/zh-hans/articles/story/", "/fa/articles/story/"),
        ("ar", "/fa/articles/story/", "/en/articles/story/"),
    ],
)
def test_an_article_under_another_languages_prefix_redirects_to_its_own(
    client, language, url, home
):
    make_article(slug="story", language=language)
    response = client.get(url)
    assert (response.status_code, response["Location"]) == (302, home)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "shown"),
    [
        ("zh-Hans", "2025年2月10日 00:47 CST"),
        ("zh-Hant", "2025年2月10日 00:47 CST"),
        ("en", "Feb. 10, 2025, 12:47 a.m. CST"),
    ],
)
def test_dates_are_written_as_the_language_writes_them_in_the_site_zone(
    client, settings, language, shown
):
    settings.TIME_ZONE = "Asia/Shanghai"
    article = make_article(language=language, published_at=datetime(2025, 2, 9, 16, 47, tzinfo=UTC))
    doc = parse(client.get(article.get_absolute_url()))
    time = doc.cssselect("article.story time")[0]
    assert time.text_content() == shown
    assert time.get("datetime") == "2025-02-10T00:47:00+08:00"
    assert "Asia/Shanghai" in doc.cssselect(".time-zone")[0].text_content()


@pytest.mark.django_db
def test_persian_language_list_is_right_to_left_in_persian(client):
    make_article(title="خبر تازه", language="fa")
    doc = parse(client.get("/fa/languages/fa/"))
    assert (doc.get("lang"), doc.get("dir")) == ("fa", "rtl")
    header = doc.cssselect("header.site-header")[0]
    assert (header.get("lang"), header.get("dir")) == ("fa", "rtl")
    assert doc.cssselect("h1")[0].text_content() == "فارسی"
    assert client.get("/en/languages/fa/")["Location"] == "/fa/languages/fa/"


@pytest.mark.django_db
def test_sitemaps_list_each_article_under_its_own_language(client):
    make_article(slug="chinese", language="zh-Hant")
    make_article(slug="persian", language="fa")
    sitemap = client.get("/sitemap-articles.xml").content.decode()
    assert "http://testserver/zh-hant/articles/chinese/" in sitemap
    assert "http://testserver/fa/articles/persian/" in sitemap
    news = client.get("/sitemap-news.xml").content.decode()
    assert "<news:language>zh-tw</news:language>" in news


@pytest.mark.django_db
def test_a_languages_feed_names_it_and_the_root_feed_claims_none(client):
    make_article(title="Persian", language="fa")
    make_article(title="English", language="en")
    feed = json.loads(client.get("/fa/feeds/feed.json").content)
    assert feed["language"] == "fa"
    assert [item["title"] for item in feed["items"]] == ["Persian"]
    root = json.loads(client.get("/feeds/feed.json").content)
    assert "language" not in root
    assert {item["language"] for item in root["items"]} == {"fa", "en"}
    rss = client.get("/fa/feeds/rss.xml").content.decode()
    assert "<language>fa</language>" in rss
    assert "<language>" not in client.get("/feeds/rss.xml").content.decode()
