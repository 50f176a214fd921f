"""A search ranks, counts and pages through at most NEWSROOM_SEARCH_MAX_RESULTS matches.

A word found in most articles used to be ranked and counted across all of them (seconds on
PostgreSQL, past gunicorn's timeout); now the work per query stops at the cap.
"""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils import timezone

from articles.models import Article
from articles.reader import search
from articles.tests.test_reader_pages import make_article, parse
from articles.tests.test_search import titles
from articles.tests.test_search_bigrams import filler

CAP = 30


@pytest.fixture
def small_cap(db, settings):
    settings.NEWSROOM_SEARCH_MAX_RESULTS = CAP


@pytest.fixture
def common_word(small_cap):
    """CAP + 5 fillers mentioning 人工智能 a minute apart, a title hit inside the newest CAP
    matches and one older than all of them."""
    now = timezone.now()
    filler(CAP + 5, now, text="第{i}号新闻：人工智能")
    make_article(title="人工智能 headline", published_at=now - timedelta(minutes=10, seconds=30))
    make_article(title="Old 人工智能 headline", published_at=now - timedelta(days=2))


def count_text(client, query, **params):
    doc = parse(client.get("/en/search/", {"q": query, **params}))
    return doc.cssselect(".result-count")[0].text_content()


def test_a_full_window_says_more_than_the_cap_and_ranks_title_hits_first(client, common_word):
    assert count_text(client, "人工智能").startswith(f"More than {CAP} results")
    first = titles(client, "人工智能")
    assert first == ["人工智能 headline"] + [f"Filler {i}" for i in range(19)]


def test_pagination_stays_within_the_newest_matches(client, common_word):
    second = [f"Filler {i}" for i in range(19, CAP - 1)]
    assert titles(client, "人工智能", page=2) == second
    # Past the window: the last page of the window, never older matches.
    assert titles(client, "人工智能", page=3) == second
    assert titles(client, "人工智能", page=99) == second
    doc = parse(client.get("/en/search/", {"q": "人工智能", "page": 2}))
    assert "Page 2 of 2" in doc.cssselect(".pagination")[0].text_content()
    assert not doc.cssselect('.pagination a[rel="next"]')


def test_exactly_the_cap_is_counted_exactly(client, small_cap):
    filler(CAP, timezone.now(), text="第{i}号新闻：半导体")
    assert count_text(client, "半导体") == f"{CAP} results for “半导体”"


def test_a_common_short_term_is_capped_too(client, small_cap):
    filler(CAP + 5, timezone.now(), text="第{i}号新闻：香港 AI")
    assert count_text(client, "香港").startswith(f"More than {CAP} results")
    assert count_text(client, "AI").startswith(f"More than {CAP} results")
    assert len(titles(client, "香港 AI")) == 20


def test_the_database_stops_at_the_cap(small_cap):
    """The page's statement walks the newest articles for a common word (200 matches, cap 30)."""
    filler(200, timezone.now(), text="第{i}号新闻：人工智能")
    page = search.search(Article.objects.published(), "人工智能")[:20]
    if connection.vendor == "sqlite":
        plan = page.explain()
        assert "SCAN articles_article" not in plan, plan
        # The common word's window walks the newest articles through the published_at index.
        assert re.search(r"CO-ROUTINE n\n.*SEARCH articles_article USING INDEX", plan), plan
    else:
        # A table this small is read whole whatever the query (see docs/performance.md for the
        # plan at 100,000 articles); what holds at any size is that one statement picks one branch.
        plan = page.explain(analyze=True)
        assert plan.count("One-Time Filter") == 2, plan
        # The index-driven branch never runs once the count passes the cap.
        assert "never executed" in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="statement_timeout is PostgreSQL's")
def test_a_search_past_the_statement_timeout_gets_a_friendly_page(
    client, settings, db, monkeypatch
):
    make_article(title="人工智能 story")
    settings.NEWSROOM_SEARCH_TIMEOUT_MS = 1
    bounded = search.search
    slow = RawSQL("(SELECT true FROM pg_sleep(0.2))", [], output_field=BooleanField())
    monkeypatch.setattr(search, "search", lambda qs, query: bounded(qs, query).filter(slow))
    response = client.get("/en/search/", {"q": "人工智能"})
    assert response.status_code == 200
    assert "took too long" in response.content.decode()
    assert not parse(response).cssselect(".card")


def test_the_defaults_are_a_thousand_results_and_five_seconds():
    from newsroom import settings as declared

    assert declared.NEWSROOM_SEARCH_MAX_RESULTS == 1000
    assert declared.NEWSROOM_SEARCH_TIMEOUT_MS == 5000
