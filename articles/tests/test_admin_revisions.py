"""Revisions: every save is recorded; editors compare two and restore an earlier one."""

import pytest
from django.urls import reverse

from articles.models import Article, AuditEntry
from articles.tests.editorial import change_url, form_data, import_seed, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(client):
    """The seed as imported, then with the MNodi typo fixed by an editor."""
    article = import_seed()
    editor = make_editor()
    client.force_login(editor)
    fixed = article.body.replace("MNodi", "Modi")
    data = form_data(article, body=fixed, title=article.title + "<b>")
    assert client.post(change_url(article), data).status_code == 302
    article.refresh_from_db()
    return article


def test_every_save_is_a_revision_with_who_and_why(edited):
    imported, fixed = edited.history.order_by("history_id")
    assert imported.history_user is None
    assert imported.history_change_reason.startswith("imported from")
    assert fixed.history_user.username == "editor"
    assert "Modi" in fixed.body and "MNodi" in imported.body


def test_history_page_lists_revisions_and_links_to_compare(client, edited):
    page = client.get(reverse("admin:articles_article_history", args=[edited.pk])).content.decode()
    assert "editor" in page and "imported from" in page
    assert reverse("admin:articles_article_compare", args=[edited.pk]) in page


def test_compare_shows_an_escaped_diff_of_title_and_body(client, edited):
    imported, fixed = edited.history.order_by("history_id")
    url = reverse("admin:articles_article_compare", args=[edited.pk])
    page = client.get(url, {"old": imported.history_id, "new": fixed.history_id}).content.decode()
    assert "<ins>&lt;b&gt;</ins>" in page
    assert "M<del>N</del>odi" in page
    assert "<b>" not in page.split('id="content-main"', 1)[1].split("</h2>", 1)[1]


def test_compare_defaults_to_the_latest_change(client, edited):
    page = client.get(reverse("admin:articles_article_compare", args=[edited.pk])).content.decode()
    assert "M<del>N</del>odi" in page


def test_restore_brings_back_the_text_and_is_audited(client, edited, tmp_path):
    Article.objects.filter(pk=edited.pk).update(pending_import={"values": {}, "file_name": "x"})
    edited.refresh_from_db()
    imported = edited.history.order_by("history_id").first()
    url = reverse("admin:articles_article_simple_history", args=[edited.pk, imported.history_id])
    form_page = client.get(url)
    assert form_page.status_code == 200
    version = form_page.context["adminform"].form["loaded_version"].value()
    assert version == edited.version
    data = form_data(imported.instance, loaded_version=version)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(pk=edited.pk)
    assert "MNodi" in article.body and not article.title.endswith("<b>")
    # What the history does not keep stays as it is now.
    assert article.pending_import == {"values": {}, "file_name": "x"}
    assert article.imported_values == edited.imported_values
    assert article.history.first().history_change_reason == "restored an earlier revision"
    entry = AuditEntry.objects.get(article=article, event="restored")
    assert entry.user.username == "editor"
    assert entry.detail == f"revision {imported.history_id}"
