"""Cross-script search: 臺灣, 台灣 and 台湾 find each other through the index."""

import importlib
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import html as lxml_html

from articles.models import Article
from articles.reader import search
from articles.tests.test_reader_pages import make_article

REFOLD = importlib.import_module("articles.migrations.0006_fold_search_script").refold

pytestmark = pytest.mark.django_db


def found(query):
    return sorted(search.search(Article.objects.published(), query).values_list("slug", flat=True))


@pytest.fixture
def stories():
    make_article(slug="simplified", title="台湾民主发展", language="zh-Hans")
    make_article(slug="traditional", title="臺灣民主發展", language="zh-Hant")
    make_article(slug="elsewhere", title="香港新闻", language="zh-Hans")


@pytest.mark.parametrize("query", ["台湾", "台灣", "臺灣", "臺湾"])
def test_a_two_character_term_finds_both_scripts(stories, query):
    assert found(query) == ["simplified", "traditional"]


@pytest.mark.parametrize("query", ["台湾民主", "臺灣民主", "民主發展", "民主发展"])
def test_a_longer_term_finds_both_scripts(stories, query):
    assert found(query) == ["simplified", "traditional"]


def test_the_index_and_the_query_are_folded_to_simplified(stories):
    assert Article.objects.get(slug="traditional").search_text.startswith("台湾民主发展")
    assert search.query_terms("臺灣 發展") == ["台湾", "发展"]


def test_cross_script_search_uses_the_indexes(stories):
    with CaptureQueriesContext(connection) as queries:
        assert found("臺灣") and found("臺灣民主")
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    if connection.vendor == "sqlite":
        assert "article_bigrams MATCH" in sql and "article_search MATCH" in sql
    else:
        assert "search_bigrams" in sql and "@@" in sql and "ILIKE" in sql
    assert "臺" not in sql and "灣" not in sql


def test_migration_refolds_rows_indexed_before_folding(stories):
    article = Article.objects.get(slug="traditional")
    with connection.cursor() as cursor:  # a row as 0005 left it: Traditional in the index
        cursor.execute(
            "UPDATE articles_article SET search_text = %s, search_bigrams = %s WHERE id = %s",
            ["臺灣民主發展", "臺灣 灣民 民主 主發 發展", article.pk],
        )
    assert found("台湾民主") == ["simplified"]
    REFOLD(None, SimpleNamespace(connection=connection))
    assert found("台湾民主") == ["simplified", "traditional"]
    assert found("台湾") == ["simplified", "traditional"]


def test_results_mark_the_terms_in_the_readers_script(client, stories):
    doc = lxml_html.fromstring(client.get("/zh-hant/search/", {"q": "台湾"}).content.decode())
    titles = [h.text_content() for h in doc.cssselect(".card-title")]
    assert sorted(titles) == ["臺灣民主發展", "臺灣民主發展"]
    assert [m.text for m in doc.cssselect(".card-title mark")] == ["臺灣", "臺灣"]
    links = sorted(a.get("href") for a in doc.cssselect(".card-title a"))
    assert links == ["/zh-hant/articles/simplified/", "/zh-hant/articles/traditional/"]
    doc = lxml_html.fromstring(client.get("/zh-hans/search/", {"q": "臺灣"}).content.decode())
    assert [m.text for m in doc.cssselect(".card-title mark")] == ["台湾", "台湾"]


def test_marking_escapes_the_text_around_the_terms(client):
    make_article(slug="html", title="<b>台湾</b> & more", language="zh-Hans")
    page = client.get("/zh-hans/search/", {"q": "台湾"}).content.decode()
    assert "&lt;b&gt;<mark>台湾</mark>&lt;/b&gt; &amp; more" in page
