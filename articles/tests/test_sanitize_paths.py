"""Sanitizing happens on every path into the database, not just in the admin."""

import pytest

from articles.ingest.service import import_file
from articles.models import Article

HOSTILE = (
    '<p onmouseover="alert(1)">正文</p><script>alert(2)</script>'
    '<img src="x" onerror="alert(3)"><a href="jav&#x09;ascript:alert(4)">链接</a>'
    '<svg onload="alert(5)"></svg><iframe src="https://evil.example/"></iframe>'
    '<p style="background:url(javascript:alert(6))">第二段</p>'
)
EXECUTABLE = (
    "<script",
    "onmouseover",
    "onerror",
    "onload",
    "javascript:",
    "<svg",
    "<iframe",
    "style=",
)

pytestmark = pytest.mark.django_db


def assert_safe(body):
    lowered = body.lower()
    for needle in EXECUTABLE:
        assert needle not in lowered, needle
    assert "正文" in body and "第二段" in body


def test_model_save_sanitizes_shell_and_api_writes():
    article = Article.objects.create(title="<b>标题</b>\u2028", slug="shell", body=HOSTILE)
    article.refresh_from_db()
    assert_safe(article.body)
    assert article.title == "<b>标题</b>"  # plain text: kept as typed, escaped when rendered


@pytest.mark.parametrize("field", ["body", "title", "dateline", "summary", "search_text"])
def test_queryset_update_of_content_is_refused_with_a_clear_error(field):
    Article.objects.create(title="t", slug="update", body="<p>ok</p>")
    with pytest.raises(TypeError, match=f"cannot set {field}.*save"):
        Article.objects.filter(slug="update").update(**{field: HOSTILE})
    assert Article.objects.get(slug="update").body == "<p>ok</p>"


def test_queryset_update_of_other_fields_still_works():
    Article.objects.create(title="t", slug="update", body="<p>ok</p>")
    assert Article.objects.filter(slug="update").update(status=Article.Status.PUBLISHED) == 1


def test_bulk_update_of_content_is_refused_too():
    article = Article.objects.create(title="t", slug="bulk-update", body="<p>ok</p>")
    article.body = HOSTILE
    with pytest.raises(TypeError, match=r"bulk_update\(\) cannot set body"):
        Article.objects.bulk_update([article], ["body"])
    assert Article.objects.get(slug="bulk-update").body == "<p>ok</p>"


def test_save_with_update_fields_derives_only_from_saved_content():
    article = Article.objects.create(title="t", slug="fields", body="<p>一</p>")
    article.body = "<p>二</p>"
    article.save(update_fields=["status"])
    assert Article.objects.get(slug="fields").body == "<p>一</p>"  # the body was not asked for
    article.save(update_fields=["body"])
    stored = Article.objects.get(slug="fields")
    assert (stored.body, stored.search_text, stored.version) == ("<p>二</p>", "t 二", 3)


def test_bulk_create_sanitizes():
    Article.objects.bulk_create([Article(title="t", slug="bulk", body=HOSTILE)])
    assert_safe(Article.objects.get(slug="bulk").body)


def test_import_sanitizes(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(
        "<!--1739120343000-->\n[恶意](https://www.voachinese.com/a/x-20250209/1234567.html)\n"
        f"------\n\n{HOSTILE}\n",
        encoding="utf-8",
    )
    assert import_file(path).outcome == "created"
    assert_safe(Article.objects.get().body)


def test_history_rows_hold_the_sanitized_body():
    article = Article.objects.create(title="t", slug="history", body=HOSTILE)
    assert_safe(article.history.first().body)


def test_save_parses_the_body_once_and_summarizes_the_sanitized_html(monkeypatch):
    from articles import sanitize

    calls = []
    real = sanitize._sanitize_once
    monkeypatch.setattr(sanitize, "_sanitize_once", lambda html: calls.append(1) or real(html))
    article = Article.objects.create(
        title="t", slug="once", body="<p>一段<b>正文</b></p>" + HOSTILE
    )
    assert len(calls) == 1  # the summary is taken from the sanitized body, not parsed again
    assert article.summary == "一段正文 正文 第二段"
    assert_safe(article.body)
