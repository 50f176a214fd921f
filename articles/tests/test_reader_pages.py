"""The public list and detail pages: what readers see, in which language, and what stays hidden."""

import re
from datetime import UTC, datetime, timedelta
from itertools import count
from pathlib import Path

import pytest
from django.conf import settings
from django.template.loader import get_template
from django.utils import timezone
from lxml import html as lxml_html

from articles.ingest.parser import parse_article
from articles.ingest.service import FAILED, ImportOptions, import_paths
from articles.models import Article, Image

SEED = Path(settings.BASE_DIR) / "seeds" / "000_eea83d68b8caacf9.txt"
SEED_URL = (
    "https://www.voachinese.com/a/trump-s-ai-ambition-and-china-s-deepseek-overshadow-an-ai-"
    "summit-in-paris-20250209/7968583.html"
)
CORPUS = Path(settings.BASE_DIR).parent / "shared" / "corpus" / "voa"
_numbers = count(1)


def import_published(*paths):
    outcomes = list(import_paths(paths, ImportOptions(publish=True)))
    assert not [o for o in outcomes if o.outcome == FAILED], outcomes
    return outcomes


def import_seed():
    import_published(SEED)
    return Article.objects.get(source_url=SEED_URL)


@pytest.fixture
def seed(db):
    return import_seed()


def make_article(*, lead=True, **fields):
    """A published article one hour old (override any field), with a lead image by default."""
    n = next(_numbers)
    values = {
        "title": f"Article {n}",
        "slug": f"article-{n}",
        "body": f"<p>Paragraph of article {n}.</p>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - timedelta(hours=1),
        "language": "en",
        "source_name": "VOA Chinese",
        "source_url": f"https://www.voachinese.com/a/{n}.html",
    }
    values.update(fields)
    article = Article.objects.create(**values)
    if lead:
        Image.objects.create(
            article=article,
            role=Image.Role.LEAD,
            original_url=f"https://gdb.voanews.com/{n}.jpg",
            caption=f"Caption {n}",
        )
    return article


def parse(response):
    assert response.status_code == 200, response.status_code
    return lxml_html.fromstring(response.content.decode())


def test_seed_detail_shows_every_field_of_the_round_trip(client, seed):
    doc = parse(client.get(seed.get_absolute_url()))
    expected = parse_article(SEED.read_bytes(), SEED.name)
    story = doc.cssselect("article.story")[0]

    assert doc.get("lang") == "zh-Hans"
    assert story.get("lang") == "zh-Hans"
    assert story.cssselect("h1")[0].text_content() == "巴黎人工智能行动峰会在即，美中竞争较量惹关注"
    time = story.cssselect("header time")[0]
    assert time.get("datetime") == "2025-02-09T16:47:40+00:00"
    assert story.cssselect(".dateline")[0].text_content() == "华盛顿"
    figure = story.cssselect("figure.lead-figure")[0]
    img = figure.cssselect("img")[0]
    assert img.get("src") == (
        "https://gdb.voanews.com/51d023ef-1a95-43fd-a030-70b93c47b938_r1_s_w900.jpg"
    )
    assert img.get("referrerpolicy") == "no-referrer"
    assert (
        figure.cssselect("figcaption")[0]
        .text_content()
        .startswith("2024年9月10日在首尔举行的军事领域负责任人工智能")
    )
    paragraphs = [p.text_content() for p in story.cssselect(".story-body > p")]
    expected_paragraphs = [
        p.text_content() for p in lxml_html.fragment_fromstring(expected.body, "div").iter("p")
    ]
    assert len(paragraphs) == 20
    assert paragraphs == expected_paragraphs
    assert "Narendra MNodi" in paragraphs[8]
    source = story.cssselect(".story-source a")[0]
    assert source.get("href") == SEED_URL
    assert source.text_content() == "VOA Chinese"


@pytest.mark.django_db
def test_detail_time_is_shown_in_the_site_zone(client, settings):
    settings.TIME_ZONE = "Asia/Shanghai"
    article = make_article(published_at=datetime(2025, 2, 9, 16, 47, 40, tzinfo=UTC))
    time = parse(client.get(article.get_absolute_url())).cssselect("article.story time")[0]
    assert time.get("datetime") == "2025-02-10T00:47:40+08:00"
    assert time.text_content() == "Feb. 10, 2025, 12:47 a.m. CST"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "chrome"),
    [
        ("fa", "rtl", ("fa", "rtl")),
        ("ar", "rtl", ("en", "ltr")),  # no Arabic interface: the default one
        ("zh-Hant", "ltr", ("zh-Hant", "ltr")),
    ],
)
def test_page_and_article_carry_language_and_direction(client, language, direction, chrome):
    article = make_article(language=language, title="خبر")
    doc = parse(client.get(article.get_absolute_url()))
    assert (doc.get("lang"), doc.get("dir")) == (language, direction)
    story = doc.cssselect("article.story")[0]
    assert (story.get("lang"), story.get("dir")) == (language, direction)
    header = doc.cssselect("header.site-header")[0]
    assert (header.get("lang"), header.get("dir")) == chrome


@pytest.mark.django_db
@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"published_at": timezone.now() + timedelta(days=1)},
        {"published_at": None},
    ],
    ids=["draft", "review", "scheduled", "undated"],
)
def test_unpublished_articles_are_404_and_unlisted(client, fields):
    article = make_article(title="Hidden story", **fields)
    response = client.get(article.get_absolute_url())
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Hidden story" not in client.get("/en/").content.decode()
    assert "Hidden story" not in client.get("/en/search/", {"q": "Hidden"}).content.decode()


@pytest.mark.django_db
def test_list_is_newest_first_and_paginated(client):
    now = timezone.now()
    articles = [
        make_article(title=f"Story {i:02d}", published_at=now - timedelta(hours=i))
        for i in range(25)
    ]
    first = parse(client.get("/en/"))
    titles = [a.text_content() for a in first.cssselect(".card-title a")]
    assert titles == [a.title for a in articles[:20]]
    card = first.cssselect("article.card")[0]
    assert card.cssselect("time")[0].get("datetime")
    assert card.cssselect(".card-thumb img")[0].get("loading") == "lazy"
    assert (
        card.cssselect(".summary")[0].text_content()
        == "Paragraph of article " + (articles[0].slug.split("-")[1]) + "."
    )
    assert first.cssselect('.pagination a[rel="next"]')[0].get("href") == "?page=2"
    second = parse(client.get("/en/", {"page": 2}))
    assert [a.text_content() for a in second.cssselect(".card-title a")] == [
        a.title for a in articles[20:]
    ]
    assert parse(client.get("/en/", {"page": "nonsense"})).cssselect(".card-title a")


@pytest.mark.django_db
def test_source_and_language_lists_show_only_their_articles(client):
    voa = make_article(title="VOA story", source_name="VOA Chinese", language="zh-Hans")
    farda = make_article(title="Farda story", source_name="Radio Farda", language="fa")
    by_source = client.get(f"/en/sources/{voa.source_name}/").content.decode()
    assert "VOA story" in by_source and "Farda story" not in by_source
    doc = parse(client.get(f"/fa/languages/{farda.language}/"))
    assert [a.text_content() for a in doc.cssselect(".card-title a")] == ["Farda story"]
    assert (doc.get("lang"), doc.get("dir")) == ("fa", "rtl")
    assert client.get("/en/sources/Nobody/").status_code == 404
    assert client.get("/en/languages/xx/").status_code == 404


@pytest.mark.django_db
def test_detail_links_to_the_older_and_newer_public_articles(client):
    now = timezone.now()
    older = make_article(title="Older", published_at=now - timedelta(hours=3))
    make_article(
        title="Draft between", status=Article.Status.DRAFT, published_at=now - timedelta(hours=2)
    )
    middle = make_article(title="Middle", published_at=now - timedelta(hours=2))
    newer = make_article(title="Newer", published_at=now - timedelta(hours=1))
    doc = parse(client.get(middle.get_absolute_url()))
    assert doc.cssselect('.story-pager a[rel="prev"]')[0].get("href") == older.get_absolute_url()
    assert doc.cssselect('.story-pager a[rel="next"]')[0].get("href") == newer.get_absolute_url()
    first = parse(client.get(older.get_absolute_url()))
    assert not first.cssselect('.story-pager a[rel="prev"]')


@pytest.mark.django_db
def test_detail_template_renders_a_preview_of_a_draft(rf):
    from articles.reader.views import render_article

    draft = make_article(title="Not yet", status=Article.Status.DRAFT)
    request = rf.get("/preview/")
    body = render_article(request, draft, None, preview=True).content.decode()
    assert "Not yet" in body
    assert '<meta name="robots" content="noindex">' in body
    assert "Preview" in body


@pytest.mark.django_db
def test_error_pages_use_the_site_design(client):
    not_found = client.get("/no/such/page/")
    assert not_found.status_code == 404
    assert re.search(
        r'<link rel="stylesheet" href="/static/css/site\.[^"]*css"', not_found.content.decode()
    )
    server_error = get_template("500.html").render()
    assert "Something went wrong" in server_error
    assert "css/site" in server_error
