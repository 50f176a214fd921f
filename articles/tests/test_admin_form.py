"""The article form: sanitized on save with a message, lost-edit protection, slug, editor assets."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from articles.desk.forms import ArticleAdminForm
from articles.models import Article
from articles.tests.editorial import change_url, form_data, import_seed, make_editor

pytestmark = pytest.mark.django_db

XSS_VECTORS = {
    "script": ("<p>安全</p><script>alert(1)</script>", "<script>"),
    "img onerror": ('<p>安全</p><img src="https://x.example/a.jpg" onerror="alert(1)">', "onerror"),
    "svg onload": ("<p>安全</p><svg onload=alert(1)><circle r=5 /></svg>", "<svg>"),
    "javascript href with entities": (
        '<p>安全<a href="jav&#x61;script&#58;alert(1)">link</a></p>',
        "javascript:",
    ),
    "data url": ('<p>安全<a href="data:text/html;base64,PHNjcmlwdD4=">x</a></p>', "data:"),
    "style": ('<p style="background:url(javascript:alert(1))">安全</p>', "style attribute"),
    "iframe": ('<p>安全</p><iframe src="https://evil.example/"></iframe>', "<iframe>"),
}
EXECUTABLE = ("<script", "onerror", "onload", "javascript:", "data:", "style=", "<iframe", "<svg")


def removal_messages(response):
    messages = (str(m) for m in get_messages(response.wsgi_request))
    return [m for m in messages if m.startswith("Removed from the body: ")]


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor())
    return client


@pytest.mark.parametrize("vector", XSS_VECTORS.values(), ids=XSS_VECTORS.keys())
def test_pasted_xss_is_stored_sanitized_and_the_editor_is_told(editor_client, vector):
    pasted, removed = vector
    article = import_seed()
    response = editor_client.post(change_url(article), form_data(article, body=pasted), follow=True)
    assert response.status_code == 200
    body = Article.objects.get(pk=article.pk).body
    assert "安全" in body
    assert not any(marker in body.lower() for marker in EXECUTABLE), body
    warnings = removal_messages(response)
    assert len(warnings) == 1
    assert removed in warnings[0]


def test_removal_message_is_escaped_on_the_page(editor_client):
    article = import_seed()
    response = editor_client.post(
        change_url(article),
        form_data(article, body="<p>x</p><script>alert(1)</script>"),
        follow=True,
    )
    assert "Removed from the body: &lt;script&gt;" in response.content.decode()


def test_clean_body_says_nothing(editor_client):
    article = import_seed()
    response = editor_client.post(change_url(article), form_data(article), follow=True)
    assert response.status_code == 200
    assert removal_messages(response) == []


def test_second_save_from_a_stale_form_is_refused(editor_client):
    article = import_seed()
    first = form_data(article, title="第一位编辑的标题")
    second = form_data(article, title="第二位编辑的标题")
    assert editor_client.post(change_url(article), first).status_code == 302
    response = editor_client.post(change_url(article), second)
    assert response.status_code == 200
    assert "Someone else saved this article while you were editing it" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "第一位编辑的标题"


def test_save_from_the_current_version_goes_through(editor_client):
    article = import_seed()
    response = editor_client.post(change_url(article), form_data(article, dateline="巴黎"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.dateline == "巴黎"


def test_chinese_title_without_slug_gets_an_ascii_slug(editor_client):
    data = form_data(Article(title="人工智能峰会", language="zh-Hans"), slug="")
    data.pop("loaded_version")
    response = editor_client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    slug = Article.objects.get(title="人工智能峰会").slug
    assert slug.startswith("article-") and slug.isascii()


def test_english_title_without_slug_is_slugified(editor_client):
    data = form_data(Article(title="Paris AI summit", language="en"), slug="")
    data.pop("loaded_version")
    assert editor_client.post(reverse("admin:articles_article_add"), data).status_code == 302
    assert Article.objects.get(title="Paris AI summit").slug == "paris-ai-summit"


def test_slug_is_prepopulated_only_for_new_articles(editor_client):
    article = import_seed()
    add_page = editor_client.get(reverse("admin:articles_article_add")).content.decode()
    change_page = editor_client.get(change_url(article)).content.decode()
    assert "&quot;#id_slug&quot;" in add_page
    assert "&quot;#id_slug&quot;" not in change_page


def test_body_editor_assets_are_served_from_this_site():
    media = ArticleAdminForm().media
    scripts = [str(path) for path in media._js]
    assert any(path.endswith("tinymce/tinymce.min.js") for path in scripts)
    assert all(path.startswith("/static/") or not path.startswith("http") for path in scripts)


def test_change_page_loads_tinymce_locally_with_a_relaxed_admin_policy(editor_client):
    article = import_seed()
    response = editor_client.get(change_url(article))
    page = response.content.decode()
    assert 'src="/static/tinymce/tinymce.min.js"' in page
    assert "cdn" not in page.lower()
    policy = response["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy.split("style-src", 1)[1].split(";", 1)[0]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


def test_reader_pages_keep_the_strict_policy(client):
    article = import_seed()
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "unsafe-inline" not in policy


def test_publish_time_help_shows_the_time_zone(editor_client, settings):
    article = import_seed()
    page = editor_client.get(change_url(article)).content.decode()
    assert f"Times are in {settings.TIME_ZONE}." in page


def test_help_texts_are_shown_as_typed_not_as_html(editor_client):
    article = import_seed()
    page = editor_client.get(change_url(article)).content.decode()
    assert "/articles/&lt;slug&gt;/" in page
    assert "/articles//" not in page
