"""Import conflicts: the change page shows the waiting version and a diff; accept or dismiss it."""

import pytest
from django.urls import reverse

from articles.ingest.service import ImportOptions, import_file
from articles.models import Article, AuditEntry
from articles.tests.editorial import (
    change_url,
    form_data,
    import_seed,
    make_editor,
    reimport_changed,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conflicted(client, tmp_path):
    """The seed, fixed by an editor (MNodi → Modi), then re-imported with a changed title."""
    article = import_seed()
    client.force_login(make_editor())
    fixed = article.body.replace("MNodi", "Modi")
    assert client.post(change_url(article), form_data(article, body=fixed)).status_code == 302
    outcome = reimport_changed(tmp_path, "美中竞争较量惹关注", "美中竞争<较量>惹关注")
    assert outcome.outcome == "conflict"
    article.refresh_from_db()
    assert article.pending_import
    return article


def test_change_page_shows_the_waiting_version_and_an_escaped_diff(client, conflicted):
    page = client.get(change_url(conflicted)).content.decode()
    assert "An incoming version is waiting" in page
    assert "000_newer.txt" in page
    # The title diff marks the inserted characters, escaped.
    assert "<ins>&lt;</ins>" in page and "<ins>&gt;</ins>" in page
    # The editor's fix shows as the difference in the body, too.
    assert "M<ins>N</ins>odi" in page
    assert reverse("admin:articles_article_accept_import", args=[conflicted.pk]) in page
    assert page.count('name="csrfmiddlewaretoken"') >= 3


def test_accept_applies_the_incoming_version(client, conflicted):
    url = reverse("admin:articles_article_accept_import", args=[conflicted.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302
    article = Article.objects.get(pk=conflicted.pk)
    assert article.title == "巴黎人工智能行动峰会在即，美中竞争<较量>惹关注"
    assert "MNodi" in article.body
    assert article.pending_import is None
    assert article.imported_values["title"] == article.title
    assert article.history.first().history_change_reason.startswith("accepted incoming")
    assert AuditEntry.objects.filter(article=article, event="import_accepted").exists()


def test_dismiss_keeps_the_editors_text_and_the_same_file_stays_quiet(client, conflicted, tmp_path):
    url = reverse("admin:articles_article_dismiss_import", args=[conflicted.pk])
    assert client.post(url).status_code == 302
    article = Article.objects.get(pk=conflicted.pk)
    assert "MNodi" not in article.body and "Modi" in article.body
    assert article.pending_import is None
    assert AuditEntry.objects.filter(article=article, event="import_dismissed").exists()
    again = import_file(tmp_path / "000_newer.txt", ImportOptions(publish=True))
    assert again.outcome == "unchanged"
    assert Article.objects.get(pk=article.pk).pending_import is None


def test_second_accept_after_a_dismiss_says_nothing_is_waiting(client, conflicted):
    client.post(reverse("admin:articles_article_dismiss_import", args=[conflicted.pk]))
    response = client.post(
        reverse("admin:articles_article_accept_import", args=[conflicted.pk]), follow=True
    )
    assert "No incoming version is waiting any more." in response.content.decode()
