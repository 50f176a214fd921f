"""Workflow: draft → review → published, bulk publish/unpublish, scheduled publishing."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, AuditEntry
from articles.tests.editorial import change_url, form_data, import_seed, make_editor

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:articles_article_changelist")


@pytest.fixture
def editor(client):
    user = make_editor()
    client.force_login(user)
    return user


def run_action(client, action, articles):
    data = {"action": action, "_selected_action": [a.pk for a in articles]}
    return client.post(CHANGELIST, data, follow=True)


def test_bulk_publish_sets_a_missing_publish_time_and_goes_live(client, editor):
    draft = Article.objects.create(title="Draft story", slug="draft-story")
    assert not Article.objects.published().filter(pk=draft.pk).exists()
    assert run_action(client, "publish", [draft]).status_code == 200
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None and draft.published_at <= timezone.now()
    assert Article.objects.published().filter(pk=draft.pk).exists()
    assert client.get(draft.get_absolute_url()).status_code == 200
    entry = AuditEntry.objects.get(article=draft, event=AuditEntry.Event.PUBLISHED)
    assert entry.user == editor
    assert draft.history.first().history_user == editor


def test_bulk_unpublish_takes_articles_off_the_site(client, editor):
    article = import_seed(publish=True)
    assert client.get(article.get_absolute_url()).status_code == 200
    run_action(client, "unpublish", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404
    assert AuditEntry.objects.filter(article=article, event="unpublished", user=editor).exists()


def test_future_publish_time_keeps_the_story_off_until_then(client, editor):
    later = timezone.now() + timedelta(hours=2)
    article = Article.objects.create(
        title="Embargoed", slug="embargoed", published_at=later, status=Article.Status.REVIEW
    )
    run_action(client, "publish", [article])
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == later
    assert client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(published_at=timezone.now() - timedelta(seconds=1))
    assert client.get(article.get_absolute_url()).status_code == 200


def test_status_moves_draft_to_review_to_published_through_the_form(client, editor):
    article = import_seed(publish=False)
    for status in ("review", "published"):
        article.refresh_from_db()
        response = client.post(change_url(article), form_data(article, status=status))
        assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()
    assert article.status == "published"
    events = list(AuditEntry.objects.filter(article=article).values_list("event", flat=True))
    # Newest first: the second save published the article (and recorded the edit after it).
    assert events[:3] == ["edited", "published", "edited"]


def test_change_list_offers_both_actions(client, editor):
    import_seed()
    page = client.get(CHANGELIST).content.decode()
    assert 'value="publish"' in page and 'value="unpublish"' in page
