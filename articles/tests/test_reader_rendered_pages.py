"""Remembered renders (articles.rendered) are reused only while all a page shows is unchanged."""

from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from articles import rendered
from articles.models import Article, Image
from articles.tests.test_reader_pages import make_article, parse


@pytest.fixture(autouse=True)
def empty_memory():
    rendered.forget_pages()
    yield
    rendered.forget_pages()


@pytest.fixture
def story(db):
    return make_article(title="Original title", published_at=timezone.now() - timedelta(hours=2))


def titles(client, url):
    doc = parse(client.get(url))
    return [a.text_content() for a in doc.cssselect(".card-title a, .story h1")]


def test_same_values_are_served_without_rendering_again(rf, story):
    renders = []

    def context():
        renders.append(1)
        return {"page_obj": None, "cards": [], "heading": "", "list_lang": ""}

    first = rendered.render_remembered(rf.get("/"), "articles/list.html", context, shows=(1,))
    again = rendered.render_remembered(rf.get("/"), "articles/list.html", context, shows=(1,))
    changed = rendered.render_remembered(rf.get("/"), "articles/list.html", context, shows=(2,))
    elsewhere = rendered.render_remembered(
        rf.get("/?a=1"), "articles/list.html", context, shows=(1,)
    )
    assert len(renders) == 3
    assert again.content == first.content
    assert changed.status_code == elsewhere.status_code == 200


def test_a_render_that_touched_the_session_is_not_remembered(rf, db):
    renders = []

    def context():
        renders.append(1)
        request.session.get("anything")
        return {"page_obj": None, "cards": [], "heading": "", "list_lang": ""}

    for _ in range(2):
        request = rf.get("/")
        request.session = SessionStore()
        rendered.render_remembered(request, "articles/list.html", context, shows=(1,))
    assert len(renders) == 2


@pytest.mark.parametrize("where", ["list", "detail"])
def test_a_bulk_update_that_skips_save_still_shows(client, story, where):
    url = "/" if where == "list" else story.get_absolute_url()
    assert "Original title" in titles(client, url)
    Article.objects.filter(pk=story.pk).update(title="Changed without save()")
    assert "Changed without save()" in titles(client, url)


@pytest.mark.parametrize("where", ["list", "detail"])
def test_a_changed_lead_picture_shows(client, story, where):
    url = "/" if where == "list" else story.get_absolute_url()
    assert 'alt="Caption' in client.get(url).content.decode()
    Image.objects.filter(article=story).update(alt_text="A harbour at dawn")
    assert 'alt="A harbour at dawn"' in client.get(url).content.decode()


def test_unpublishing_a_neighbour_changes_the_article_page(client, story):
    newer = make_article(title="Newer neighbour", published_at=timezone.now() - timedelta(hours=1))
    url = story.get_absolute_url()
    pager = parse(client.get(url)).cssselect('.story-pager a[rel="next"]')
    assert pager[0].get("href") == newer.get_absolute_url()
    Article.objects.filter(pk=newer.pk).update(status=Article.Status.DRAFT)
    assert not parse(client.get(url)).cssselect(".story-pager")


def test_a_scheduled_article_appears_when_its_time_comes(client, story):
    scheduled = make_article(title="Scheduled", published_at=timezone.now() + timedelta(hours=1))
    assert "Scheduled" not in titles(client, "/")
    Article.objects.filter(pk=scheduled.pk).update(published_at=timezone.now())
    assert titles(client, "/")[0] == "Scheduled"


def test_pages_are_rendered_afresh_while_debugging(rf, db, settings):
    settings.DEBUG = True
    renders = []

    def context():
        renders.append(1)
        return {"page_obj": None, "cards": [], "heading": "", "list_lang": ""}

    for _ in range(2):
        rendered.render_remembered(rf.get("/"), "articles/list.html", context, shows=(1,))
    assert len(renders) == 2
