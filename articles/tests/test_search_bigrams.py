"""Two-character CJK terms (香港, 台湾) are answered by the bigram index, over every article."""

import importlib
import unicodedata
from datetime import timedelta

import pytest
from django.db import connection, models
from django.utils import timezone

from articles import search_index
from articles.models import Article
from articles.reader import search
from articles.tests.test_reader_pages import make_article
from articles.tests.test_search import explain, titles

BIGRAMS_0005 = importlib.import_module("articles.migrations.0005_search_bigrams")


def test_search_bigrams_pairs_adjacent_cjk_characters_once_each():
    assert search_index.search_bigrams("在香港举行") == "在香 香港 港举 举行"
    assert search_index.search_bigrams("香港香港") == "香港 港香"
    assert search_index.search_bigrams("カタカナ 한국어 々〇") == "カタ タカ カナ 한국 국어 々〇"


@pytest.mark.parametrize(
    "text", ["香DeepSeek港", "香 港", "香，港", "香・港", "香1港", "香\u2028港", "A香 港B", ""]
)
def test_search_bigrams_never_pair_across_a_non_cjk_character(text):
    assert search_index.search_bigrams(text) == ""


def test_cjk_runs_hold_only_letters_so_the_index_tokenizer_never_splits_a_pair():
    for code in range(0x110000):
        char = chr(code)
        if search_index.is_bigram_term(char * 2):
            assert unicodedata.category(char)[0] in "LN" or unicodedata.category(char) == "Cn"


def test_only_two_cjk_characters_make_a_bigram_term():
    terms = ("香港", "台灣", "한국", "AI", "香A", "香", "香港人")
    assert [search_index.is_bigram_term(t) for t in terms] == [True] * 3 + [False] * 4


def filler(count, now, text="第{i}号新闻：经济 AI"):
    """`count` published plain-text articles, newest first, stored without the sanitizer's cost.

    Their text is plain, so the derived fields are set here and the base bulk_create (no
    sanitizing) stores them; the index triggers still fire on every insert.
    """
    articles = []
    for i in range(count):
        body = text.format(i=i)
        search_text = f"Filler {i} {body}"
        articles.append(
            Article(
                title=f"Filler {i}",
                slug=f"filler-{i}",
                body=f"<p>{body}</p>",
                summary=body,
                search_text=search_text,
                search_bigrams=search_index.search_bigrams(search_text),
                status=Article.Status.PUBLISHED,
                published_at=now - timedelta(minutes=i + 1),
            )
        )
    models.QuerySet.bulk_create(Article.objects.all(), articles, batch_size=2000)


@pytest.fixture
def old_story(db):
    """An article about 香港 and 台湾 older than SHORT_QUERY_WINDOW newer articles without them."""
    now = timezone.now()
    story = make_article(
        title="Old story",
        body="<p>峰会在香港举行，台湾代表也出席了会议。</p>",
        published_at=now - timedelta(days=400),
    )
    filler(search.SHORT_QUERY_WINDOW, now)
    return story


def test_two_character_terms_find_an_article_behind_the_short_query_window(client, old_story):
    for query in ["香港", "台湾", "香港 台湾", "台湾 香港 峰会"]:
        assert titles(client, query) == ["Old story"], query


def test_without_the_bigram_index_the_window_would_miss_the_old_article(
    client, old_story, monkeypatch
):
    """Proves the fixture is big enough: the old fallback path does not reach the article."""
    monkeypatch.setattr(search, "is_bigram_term", lambda term: False)
    assert titles(client, "香港") == []


def test_two_character_queries_show_no_newest_articles_note(client, old_story):
    page = client.get("/en/search/", {"q": "香港"}).content.decode()
    assert "search-note" not in page
    assert "search-note" in client.get("/en/search/", {"q": "AI"}).content.decode()


@pytest.mark.django_db
def test_mixed_queries_need_every_term(client):
    make_article(title="香港科技", body="<p>香港公司发布DeepSeek模型，AI 人工智能</p>")
    make_article(title="台湾科技", body="<p>台湾公司发布新芯片，人工智能</p>")
    make_article(title="DeepSeek only", body="<p>DeepSeek in English</p>")
    assert titles(client, "香港 DeepSeek") == ["香港科技"]
    assert titles(client, "DeepSeek 香港") == ["香港科技"]
    assert titles(client, "AI 人工智能 香港") == ["香港科技"]
    assert sorted(titles(client, "人工智能 科技")) == ["台湾科技", "香港科技"]
    assert titles(client, "台湾 DeepSeek") == []
    assert titles(client, "香港 台湾") == []


@pytest.mark.django_db
def test_no_match_across_a_cjk_latin_boundary(client):
    make_article(title="Split", body="<p>香DeepSeek港 香 港 香，港 A香</p>")
    make_article(title="Real", body="<p>他在香港DeepSeek大会上发言</p>")
    assert titles(client, "香港") == ["Real"]
    assert titles(client, "港D") == ["Real"]  # mixed script: a substring match, not the index


@pytest.mark.django_db
def test_title_hits_rank_first_for_two_character_terms(client):
    now = timezone.now()
    make_article(title="Body", body="<p>香港新闻</p>", published_at=now - timedelta(hours=1))
    make_article(title="香港 headline", published_at=now - timedelta(days=2))
    assert titles(client, "香港") == ["香港 headline", "Body"]


@pytest.mark.django_db
def test_the_bigram_index_follows_every_write_path(client):
    article = make_article(title="Story", body="<p>会议在香港举行</p>")
    assert titles(client, "香港") == ["Story"]
    article.body = "<p>会议在台湾举行</p>"
    article.save()
    assert titles(client, "香港") == []
    assert titles(client, "台湾") == ["Story"]
    article.body = "<p>会议在美国举行</p>"
    article.save(update_fields=["body"])
    assert titles(client, "台湾") == []
    assert titles(client, "美国") == ["Story"]
    article.title = "日本会议"
    article.save(update_fields=["title"])
    assert titles(client, "日本") == ["日本会议"]
    assert titles(client, "美国") == ["日本会议"]
    Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    Article.objects.filter(pk=article.pk).update(status=Article.Status.PUBLISHED)
    assert titles(client, "美国") == titles(client, "会议在美国") == ["日本会议"]
    article.delete()
    assert titles(client, "美国") == []
    assert titles(client, "会议在美国") == []


@pytest.mark.django_db
def test_migration_backfill_fills_existing_rows_and_the_index(client):
    make_article(title="Before 0005", body="<p>台湾选举</p>")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE articles_article SET search_bigrams = ''")
    assert titles(client, "台湾") == []
    BIGRAMS_0005.fill_search_bigrams(connection)
    stored = Article.objects.get().search_bigrams  # PostgreSQL returns the lexemes sorted
    assert set(stored.split()) == set(search_index.search_bigrams("Before 0005 台湾选举").split())
    assert titles(client, "台湾") == ["Before 0005"]


def test_two_character_search_uses_the_bigram_index(db):
    """Like test_search_uses_the_trigram_index: on PostgreSQL the index is checked on the search
    predicate alone. A mixed query may be driven by either index (the planner picks the rarer)."""
    filler(1000, timezone.now(), text="第{i}号新闻 filler story")
    make_article(title="香港 story", body="<p>DeepSeek 在香港</p>")
    for query, indexes in [("香港", ["bigram"]), ("香港 DeepSeek", ["bigram", "trigram"])]:
        public_plan = explain(search.search(Article.objects.published(), query))
        plan = public_plan
        if connection.vendor == "postgresql":
            plan = explain(search.matching(Article.objects.all(), query).order_by())
        assert "SCAN articles_article" not in public_plan, public_plan
        assert "Seq Scan" not in plan, plan
        used = {
            "bigram": ["SCAN article_bigrams VIRTUAL TABLE", "Index Scan on article_bigrams_gin"],
            "trigram": ["SCAN article_search VIRTUAL TABLE", "Index Scan on article_search_trgm"],
        }
        assert any(mark in plan for index in indexes for mark in used[index]), plan
        if connection.vendor == "sqlite":
            assert "SEARCH articles_article USING INTEGER PRIMARY KEY (rowid=?)" in plan, plan


def test_two_character_search_page_stays_within_the_query_budget(
    client, old_story, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        assert client.get("/en/search/", {"q": "香港"}).status_code == 200
