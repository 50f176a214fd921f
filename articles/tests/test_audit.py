"""The audit trail: imports and admin actions, per article and site-wide, read-only."""

import pytest
from django.urls import reverse

from articles import audit
from articles.ingest.service import ImportOptions, import_file
from articles.models import AuditEntry
from articles.tests.editorial import (
    SEED,
    change_url,
    form_data,
    import_seed,
    make_editor,
    reimport_changed,
)

pytestmark = pytest.mark.django_db
AUDIT = reverse("admin:articles_auditentry_changelist")


def events(article):
    return list(
        AuditEntry.objects.filter(article=article)
        .order_by("id")
        .values_list("event", "user__username")
    )


def test_imports_are_recorded_as_the_importer(tmp_path):
    article = import_seed()
    import_file(SEED, ImportOptions(publish=True))  # unchanged: nothing to record
    reimport_changed(tmp_path, "美中竞争", "中美竞争")
    assert events(article) == [("import_created", None), ("import_updated", None)]


def test_conflict_is_recorded_once_per_incoming_version(client, tmp_path):
    article = import_seed()
    client.force_login(make_editor())
    client.post(change_url(article), form_data(article, dateline="巴黎"))
    reimport_changed(tmp_path, "美中竞争", "中美竞争")
    reimport_changed(tmp_path, "美中竞争", "中美竞争")
    assert events(article) == [
        ("import_created", None),
        ("edited", "editor"),
        ("import_conflict", None),
    ]


def test_edit_records_who_and_which_fields(client):
    article = import_seed()
    client.force_login(make_editor())
    client.post(change_url(article), form_data(article, dateline="巴黎"))
    entry = AuditEntry.objects.get(event="edited")
    assert entry.user.username == "editor"
    assert entry.detail == "dateline"
    assert entry.article_title == article.title


def test_change_page_shows_recent_activity_and_links_to_the_trail(client):
    article = import_seed()
    client.force_login(make_editor())
    page = client.get(change_url(article)).content.decode()
    assert "Recent activity" in page and "Imported (new)" in page and "importer" in page
    assert f"{AUDIT}?article={article.pk}" in page


def test_site_wide_trail_lists_and_filters_by_article(client):
    first = import_seed()
    other = audit.record(audit.Event.CREATED, None, detail="<script>x</script>")
    client.force_login(make_editor())
    page = client.get(AUDIT).content.decode()
    assert first.title in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page
    filtered = client.get(AUDIT, {"article": first.pk})
    assert [e.pk for e in filtered.context["cl"].result_list] == [first.audit_entries.get().pk]
    assert other.pk not in [e.pk for e in filtered.context["cl"].result_list]


def test_trail_is_read_only_even_for_superusers(admin_client):
    entry = audit.record(audit.Event.CREATED, import_seed())
    assert admin_client.get(reverse("admin:articles_auditentry_add")).status_code == 403
    change = admin_client.post(
        reverse("admin:articles_auditentry_change", args=[entry.pk]), {"detail": "forged"}
    )
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.detail == ""
