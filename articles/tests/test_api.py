"""The Content API: only public articles, filters, keyset pages, tokens, and HTTP done right."""

import json
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.api import tokens
from articles.models import Article, Image

pytestmark = pytest.mark.django_db

API = "/api/v1/"
HOUR = timedelta(hours=1)


@pytest.fixture(autouse=True)
def fresh_limits(settings):
    """Each test starts with an empty rate-limit count (kept in Django's cache)."""
    settings.API_ANON_RATE = "1000/min"
    cache.clear()


def make(slug, *, hours_ago=1, **fields):
    values = {
        "title": f"标题 {slug}",
        "body": f"<p>{slug} 的正文。</p><script>alert(1)</script>",
        "status": Article.Status.PUBLISHED,
        "published_at": timezone.now() - hours_ago * HOUR,
        "language": "zh-Hans",
        "source_name": "VOA Chinese",
        "source_url": f"https://www.voachinese.com/a/{slug}.html",
        **fields,
    }
    return Article.objects.create(slug=slug, **values)


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, (json.loads(response.content) if response.content else None)


def slugs(body):
    return [row["slug"] for row in body["results"]]


def test_list_shows_published_articles_newest_first_and_nothing_else(client):
    make("older", hours_ago=2)
    make("newer", hours_ago=1)
    make("draft", status=Article.Status.DRAFT)
    make("in-review", status=Article.Status.REVIEW)
    make("scheduled", hours_ago=-5)
    response, body = get(client, API + "articles/")
    assert response.status_code == 200
    assert slugs(body) == ["newer", "older"]


def test_list_never_shows_editor_only_fields(client):
    make("conflicted", pending_import={"values": {"title": "secret"}}, imported_values={"a": 1})
    _, body = get(client, API + "articles/")
    row = body["results"][0]
    for hidden in ("pending_import", "imported_values", "search_text", "status", "import_hash"):
        assert hidden not in row
    assert "secret" not in json.dumps(body, ensure_ascii=False)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("source=BBC News", ["bbc"]),
        ("language=fa", ["farsi"]),
        ("published_after={t3}", ["farsi", "bbc"]),
        ("published_before={t3}", ["voa"]),
        ("q=人工智能", ["bbc"]),
        ("q=人工智能&source=VOA Chinese", []),
    ],
)
def test_list_filters(client, query, expected):
    now = timezone.now()
    make("voa", hours_ago=5)
    make("bbc", hours_ago=2, source_name="BBC News", title="人工智能峰会")
    make("farsi", hours_ago=1, language="fa")
    t3 = (now - 3 * HOUR).isoformat().replace("+00:00", "Z")
    _, body = get(client, API + "articles/?" + query.format(t3=t3))
    assert slugs(body) == expected


def test_field_selection_returns_only_the_named_fields(client):
    make("lean")
    _, body = get(client, API + "articles/?fields=slug,title")
    assert body["results"] == [{"slug": "lean", "title": "标题 lean"}]


def test_unknown_field_or_bad_date_is_a_400_problem(client):
    for url in (
        "articles/?fields=slug,pending_import",
        "articles/?fields=,,,",
        "articles/?published_after=yesterday",
        "articles/?page_size=0",
    ):
        response, body = get(client, API + url)
        assert response.status_code == 400
        assert response["Content-Type"] == "application/problem+json; charset=utf-8"
        assert body["type"] == "about:blank" and body["status"] == 400 and body["title"]
        assert body["errors"]


def test_cursor_pages_neither_repeat_nor_skip_across_inserts(client):
    for n in range(5):
        make(f"a{n}", hours_ago=10 + n)
    _, first = get(client, API + "articles/?page_size=2")
    assert slugs(first) == ["a0", "a1"]
    make("breaking", hours_ago=0.5)  # a new article arrives while a client pages
    _, second = get(client, first["next"])
    _, third = get(client, second["next"])
    assert slugs(second) == ["a2", "a3"]
    assert slugs(third) == ["a4"] and third["next"] is None


def test_detail_has_sanitized_body_images_canonical_url_and_direction(client):
    article = make("farsi-story", language="fa", captured_at=timezone.now())
    Image.objects.create(
        article=article,
        role=Image.Role.LEAD,
        original_url="https://gdb.example.org/a.jpg",
        caption="عکس",
        renditions={"jpeg": [{"name": "images/a-480.jpg", "width": 480, "height": 320}]},
    )
    response, body = get(client, API + "articles/farsi-story/")
    assert response.status_code == 200
    assert "<script>" not in body["body"] and "的正文" in body["body"]
    assert body["direction"] == "rtl" and body["language"] == "fa"
    assert body["url"] == "http://testserver/fa/articles/farsi-story/"
    assert body["status"] == "published"
    assert body["images"][0]["caption"] == "عکس"
    assert body["images"][0]["renditions"]["jpeg"][0]["width"] == 480
    assert body["lead_image"]["url"] == "https://gdb.example.org/a.jpg"


@pytest.mark.parametrize(
    "fields",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"hours_ago": -5},
    ],
)
def test_drafts_and_future_articles_are_404_problems(client, fields):
    make("hidden", **fields)
    response, body = get(client, API + "articles/hidden/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert body == {
        "type": "about:blank",
        "title": "Not Found",
        "status": 404,
        "detail": body["detail"],
    }


def test_a_staff_token_reads_a_draft_until_it_is_revoked(client, admin_user):
    make("draft", status=Article.Status.DRAFT)
    token, key = tokens.issue(name="app QA", user=admin_user)
    response, body = get(client, API + "articles/draft/", Authorization=f"Bearer {key}")
    assert response.status_code == 200 and body["status"] == "draft"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    tokens.revoke(token)
    response, body = get(client, API + "articles/draft/", Authorization=f"Bearer {key}")
    assert response.status_code == 401 and body["status"] == 401


def test_tokens_are_stored_hashed_and_lose_power_with_their_owner(client, admin_user):
    make("draft", status=Article.Status.DRAFT)
    token, key = tokens.issue(name="app QA", user=admin_user)
    assert key not in (token.key_hash, token.prefix) and token.key_hash == tokens.digest(key)
    admin_user.is_staff = False
    admin_user.save()
    response, _ = get(client, API + "articles/draft/", Authorization=f"Bearer {key}")
    assert response.status_code == 401


def test_admin_creates_a_token_and_shows_its_key_once(admin_client, admin_user):
    response = admin_client.post(
        "/admin/articles/apitoken/add/", {"name": "iOS", "scope": "drafts:read"}, follow=True
    )
    message = next(str(m) for m in response.context["messages"])
    key = message.split("shown only now: ")[1].split(" ")[0]
    token = admin_user.api_tokens.get()
    assert token.key_hash == tokens.digest(key) and key not in str(token.__dict__)


def test_revalidation_with_the_etag_is_a_304(client):
    make("cached")
    response = client.get(API + "articles/")
    assert (
        response["Cache-Control"] == "public, max-age=60" or "public" in response["Cache-Control"]
    )
    again = client.get(API + "articles/", headers={"If-None-Match": response["ETag"]})
    assert again.status_code == 304


def test_get_is_allowed_from_any_origin(client):
    make("shared")
    response = client.get(API + "articles/", headers={"Origin": "https://partner.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        API + "articles/",
        headers={"Origin": "https://app.example", "Access-Control-Request-Method": "GET"},
    )
    assert "GET" in preflight["Access-Control-Allow-Methods"]
    assert "POST" not in preflight["Access-Control-Allow-Methods"]


def test_anonymous_clients_over_the_limit_get_429_with_retry_after(client, settings):
    settings.API_ANON_RATE = "2/min"
    for _ in range(2):
        assert client.get(API + "languages/").status_code == 200
    response, body = get(client, API + "languages/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert body["status"] == 429 and body["title"] == "Too Many Requests"


def test_json_is_utf8_with_charset_not_escapes(client):
    make("cjk", title="人工智能峰会")
    response = client.get(API + "articles/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "人工智能峰会".encode() in response.content
    assert b"\\u" not in response.content


def test_sources_and_languages_count_published_articles_only(client):
    make("one")
    make("two", source_name="BBC News", language="fa")
    make("draft", source_name="BBC News", status=Article.Status.DRAFT)
    _, sources = get(client, API + "sources/")
    _, languages = get(client, API + "languages/")
    assert sorted((s["name"], s["count"]) for s in sources) == [("BBC News", 1), ("VOA Chinese", 1)]
    assert {"code": "fa", "direction": "rtl", "count": 1} in languages


@pytest.mark.parametrize(
    "url",
    [
        "articles/?page_size=100",
        "articles/?page_size=100&q=正文",
        "articles/?fields=slug,lead_image&language=zh-Hans",
        "articles/a7/",
        "sources/",
        "languages/",
    ],
)
def test_each_request_costs_at_most_three_queries(client, django_assert_max_num_queries, url):
    for n in range(30):
        article = make(f"a{n}", hours_ago=n + 1)
        Image.objects.create(
            article=article, role=Image.Role.LEAD, original_url=f"https://x.org/{n}.jpg"
        )
    with django_assert_max_num_queries(3):
        response = client.get(API + url)
    assert response.status_code == 200


def test_a_token_request_stays_within_three_queries(client, admin_user, django_assert_num_queries):
    article = make("draft", status=Article.Status.DRAFT)
    Image.objects.create(article=article, role=Image.Role.LEAD, original_url="https://x.org/1.jpg")
    _, key = tokens.issue(name="QA", user=admin_user)
    with django_assert_num_queries(3):
        response = client.get(API + "articles/draft/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


def test_anonymous_api_responses_go_through_the_page_cache(client, settings):
    settings.PAGE_CACHE_SECONDS = 60
    make("cached")
    assert client.get(API + "articles/")["X-Cache"] == "miss"
    assert client.get(API + "articles/")["X-Cache"] == "hit"
    make("fresh", hours_ago=0.5)
    response, body = get(client, API + "articles/")
    assert response["X-Cache"] == "miss" and slugs(body)[0] == "fresh"


def test_the_docs_page_is_served_from_our_static_files(client):
    response = client.get(API + "docs/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "cdn" not in page.lower() and "<style>" not in page
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_footer_links_to_the_api_docs(client):
    make("any")
    assert 'href="/api/v1/docs/"' in client.get("/en/").content.decode()


# A cursor whose position is not a time (base64 for `p=garbage`).
@pytest.mark.parametrize(
    "url",
    [
        "articles/?cursor=bogus",
        "articles/?cursor=cD1nYXJiYWdl",
        "articles/no-such-slug/",
        "nowhere/",
    ],
)
def test_unknown_addresses_and_cursors_are_404_problems(client, url):
    response, body = get(client, API + url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json; charset=utf-8"
    assert body["status"] == 404 and body["title"] == "Not Found"


def test_the_site_keeps_its_own_404_page(client):
    response = client.get("/en/articles/no-such-slug/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_byline_is_shown_where_the_source_gives_one(client):
    make("with-byline", byline="记者 王明")
    make("without-byline")
    _, body = get(client, API + "articles/?fields=slug,byline")
    assert {a["slug"]: a["byline"] for a in body["results"]} == {
        "with-byline": "记者 王明",
        "without-byline": "",
    }
