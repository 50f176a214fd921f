"""The Editor group: exactly the desk's permissions, no users or groups; logins throttled."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.urls import reverse

from articles.models import Article
from articles.tests.editorial import PASSWORD, import_seed, make_editor

pytestmark = pytest.mark.django_db

EXPECTED = {
    "articles.add_article",
    "articles.change_article",
    "articles.view_article",
    "articles.add_image",
    "articles.change_image",
    "articles.delete_image",
    "articles.view_image",
    "articles.view_historicalarticle",
    "articles.view_historicalimage",
    "articles.view_auditentry",
    # Background work: editors upload imports and watch them and the ingest sources.
    "articles.add_importjob",
    "articles.view_importjob",
    "articles.view_ingestsource",
}


def test_editor_group_has_exactly_the_desk_permissions():
    group = Group.objects.get(name="Editor")
    granted = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }
    assert granted == EXPECTED


def test_editor_can_publish(client):
    client.force_login(make_editor())
    article = import_seed(publish=False)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "publish", "_selected_action": [article.pk]},
    )
    assert response.status_code == 302
    assert Article.objects.published().filter(pk=article.pk).exists()


@pytest.mark.parametrize(
    "url",
    [
        reverse("admin:auth_user_changelist"),
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_user_add"),
    ],
)
def test_editor_cannot_open_users_or_groups(client, url):
    client.force_login(make_editor())
    assert client.get(url).status_code == 403


def test_editor_cannot_delete_articles_or_change_the_audit_trail(client):
    client.force_login(make_editor())
    article = import_seed()
    assert (
        client.get(reverse("admin:articles_article_delete", args=[article.pk])).status_code == 403
    )
    entry = article.audit_entries.get()
    assert (
        client.get(reverse("admin:articles_auditentry_change", args=[entry.pk])).status_code == 200
    )
    assert (
        client.post(reverse("admin:articles_auditentry_delete", args=[entry.pk])).status_code == 403
    )


def test_failed_logins_lock_the_account_out(client):
    make_editor()
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": "editor", "password": "wrong"}).status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    # The form again for each failure, until the one that reaches the limit.
    assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]
    # Locked out: even the right password is refused now.
    response = client.post(login, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_right_password_before_the_limit_logs_in(client):
    make_editor()
    login = reverse("admin:login")
    client.post(login, {"username": "editor", "password": "wrong"})
    response = client.post(login, {"username": "editor", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"]
