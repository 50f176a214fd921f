"""Simplified ⇄ Traditional: converted pages, their markup, metadata, feeds and caching."""

import json
from unittest import mock

import pytest
from django.test import Client
from lxml import html as lxml_html

from articles import scripts
from articles.tests.test_reader_pages import import_seed, make_article

BODY = (
    '<p>台湾的<a href="https://example.org/发展">头发与发展</a>新闻。</p>'
    '<figure><img src="https://example.org/a.jpg" alt="头发">'
    "<figcaption>软件发展</figcaption></figure>"
    "<p>第二段：<strong>人工智能</strong>。</p>"
)


def parse(response):
    return lxml_html.fromstring(response.content.decode())


def structure(fragment):
    """Every element's tag and attributes, in order: what a conversion must not touch."""
    root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    return [(el.tag, sorted(el.attrib.items())) for el in root.iter()]


def test_conversion_uses_phrases_not_single_characters():
    # 发 is 發 in 发展 but 髮 in 头发: a character table cannot tell them apart.
    assert scripts.convert_text("头发与发展", scripts.TRADITIONAL) == "頭髮與發展"
    assert scripts.convert_text("頭髮與發展", scripts.SIMPLIFIED) == "头发与发展"


def test_html_conversion_changes_text_nodes_only():
    converted = scripts.convert_html(BODY, scripts.TRADITIONAL)
    assert structure(converted) == structure(BODY)
    assert "頭髮與發展" in converted and "軟件發展" in converted and "人工智能" in converted
    assert 'href="https://example.org/发展"' in converted
    assert 'alt="头发"' in converted  # attributes are not text nodes: kept as stored
    assert scripts.convert_html(converted, scripts.SIMPLIFIED) == BODY


@pytest.mark.django_db
def test_a_simplified_article_reads_in_traditional_at_its_own_url(client):
    article = make_article(title="台湾头发发展", slug="story", language="zh-Hans", body=BODY)
    doc = parse(client.get("/zh-hant/articles/story/"))
    assert (doc.get("lang"), doc.cssselect("article.story")[0].get("lang")) == ("zh-Hant",) * 2
    assert doc.cssselect("h1")[0].text_content() == "臺灣頭髮發展"
    body = doc.cssselect(".story-body")[0]
    assert [a.get("href") for a in body.cssselect("a")] == ["https://example.org/发展"]
    assert [i.get("src") for i in body.cssselect("figure img")] == ["https://example.org/a.jpg"]
    assert body.cssselect("figcaption")[0].text_content() == "軟件發展"
    assert not body.cssselect("script, [style], [onclick]")
    canonical = doc.cssselect('link[rel="canonical"]')[0].get("href")
    assert canonical == "http://testserver" + article.get_absolute_url()
    assert doc.cssselect(".script-note a")[0].get("href") == article.get_absolute_url()


@pytest.mark.django_db
def test_a_traditional_article_reads_in_simplified(client):
    make_article(title="臺灣頭髮發展", slug="story", language="zh-Hant")
    doc = parse(client.get("/zh-hans/articles/story/"))
    assert doc.get("lang") == "zh-Hans"
    assert doc.cssselect("h1")[0].text_content() == "台湾头发发展"


@pytest.mark.django_db
def test_converted_page_names_its_language_and_original_in_json_ld(client):
    article = make_article(title="台湾", slug="story", language="zh-Hans")
    doc = parse(client.get("/zh-hant/articles/story/"))
    data = json.loads(doc.cssselect('script[type="application/ld+json"]')[0].text)
    assert (data["headline"], data["inLanguage"]) == ("臺灣", "zh-Hant")
    assert data["url"] == "http://testserver/zh-hant/articles/story/"
    original = "http://testserver" + article.get_absolute_url()
    assert data["translationOfWork"] == {"@id": original, "inLanguage": "zh-Hans"}


@pytest.mark.django_db
def test_a_traditional_feed_carries_converted_versions(client):
    make_article(title="台湾发展", slug="story", language="zh-Hans", body=BODY)
    feed = json.loads(client.get("/zh-hant/feeds/feed.json").content)
    (item,) = feed["items"]
    assert (item["title"], item["language"]) == ("臺灣發展", "zh-Hant")
    assert item["url"] == "http://testserver/zh-hant/articles/story/"
    assert "頭髮與發展" in item["content_html"]
    simplified = json.loads(client.get("/zh-hans/feeds/feed.json").content)
    assert [i["title"] for i in simplified["items"]] == ["台湾发展"]


@pytest.mark.django_db
def test_converted_title_and_body_are_converted_once_then_cached(settings):
    settings.PAGE_CACHE_SECONDS = 0  # the conversion cache, not the page cache, is under test
    make_article(title="台湾", slug="story", language="zh-Hans", body=BODY)
    with mock.patch.object(scripts, "convert_html", wraps=scripts.convert_html) as convert:
        for _ in range(3):
            assert Client().get("/zh-hant/articles/story/").status_code == 200
    assert convert.call_count == 1


@pytest.mark.django_db
def test_an_edit_is_seen_in_the_converted_version(client):
    article = make_article(title="台湾", slug="story", language="zh-Hans")
    assert parse(client.get("/zh-hant/articles/story/")).cssselect("h1")[0].text == "臺灣"
    article.title = "香港发展"
    article.save()
    assert parse(client.get("/zh-hant/articles/story/")).cssselect("h1")[0].text == "香港發展"


@pytest.mark.django_db
def test_converted_pages_are_kept_in_the_page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    make_article(title="台湾", slug="story", language="zh-Hans")
    assert Client().get("/zh-hant/articles/story/")["X-Cache"] == "miss"
    assert Client().get("/zh-hant/articles/story/")["X-Cache"] == "hit"
    assert Client().get("/zh-hans/articles/story/")["X-Cache"] == "miss"


@pytest.mark.django_db
def test_converted_seed_page_stays_within_the_query_budget(client, django_assert_max_num_queries):
    seed = import_seed()
    url = seed.get_script_url("zh-hant")
    with django_assert_max_num_queries(3):
        doc = parse(client.get(url))
    assert len(doc.cssselect(".story-body > p")) == 20
    assert doc.cssselect("h1")[0].text_content() == "巴黎人工智能行動峰會在即，美中競爭較量惹關注"
    assert "華盛頓" in doc.cssselect(".dateline")[0].text_content()
