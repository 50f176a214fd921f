"""The byline: edited in the admin, shown on the page, named in JSON-LD and the feeds."""

import json

import pytest
from lxml import html as lxml_html

from articles.models import Article
from articles.tests.editorial import change_url, form_data, import_seed, make_editor
from articles.tests.test_reader_pages import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


def test_editor_sets_the_byline_in_the_admin(editor_client):
    article = import_seed()
    response = editor_client.post(change_url(article), form_data(article, byline=" 记者 甲乙 "))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.byline == "记者 甲乙"


def test_byline_is_on_the_page_and_in_jsonld_author(client):
    article = make_article(byline="Sample Writer")
    page = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert page.cssselect(".story-header .byline")[0].text_content() == "Sample Writer"
    data = json.loads(page.cssselect('script[type="application/ld+json"]')[0].text)
    assert data["author"] == {"@type": "Person", "name": "Sample Writer"}


def test_without_a_byline_the_author_is_the_publisher(client):
    article = make_article()
    page = lxml_html.fromstring(client.get(article.get_absolute_url()).content.decode())
    assert page.cssselect(".byline") == []
    data = json.loads(page.cssselect('script[type="application/ld+json"]')[0].text)
    assert data["author"] == {"@type": "Organization", "name": "VOA Chinese"}


def test_feeds_name_the_byline(client):
    make_article(byline="Sample Writer")
    assert "Sample Writer" in client.get("/feeds/atom.xml").content.decode()
    item = client.get("/feeds/feed.json").json()["items"][0]
    assert item["authors"] == [{"name": "Sample Writer"}]


def test_byline_is_plain_text_on_save():
    article = make_article(byline="<b>Sample</b>\u2028Writer")
    assert Article.objects.get(pk=article.pk).byline == "<b>Sample</b> Writer"
