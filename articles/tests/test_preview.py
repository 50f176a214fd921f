"""Previews: staff see any article (drafts too) through the reader template; links expire."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core import signing
from django.urls import reverse

from articles.desk import preview
from articles.models import Article
from articles.tests.editorial import SEED_TITLE, change_url, import_seed, make_editor

pytestmark = pytest.mark.django_db


def test_staff_preview_shows_a_draft_through_the_reader_template(client):
    article = import_seed(publish=False)
    assert client.get(article.get_absolute_url()).status_code == 404
    client.force_login(make_editor())
    response = client.get(reverse("preview:staff", args=[article.pk]))
    assert response.status_code == 200
    assert "articles/detail.html" in [t.name for t in response.templates]
    assert response.context["preview"] is True
    assert SEED_TITLE in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] or "private" in response["Cache-Control"]


def test_staff_preview_needs_a_staff_login(client):
    article = import_seed(publish=False)
    response = client.get(reverse("preview:staff", args=[article.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    client.force_login(User.objects.create_user("reader"))
    assert client.get(reverse("preview:staff", args=[article.pk])).status_code == 302


def test_signed_link_shows_a_draft_without_an_account(client):
    article = import_seed(publish=False)
    response = client.get(preview.signed_preview_path(article))
    assert response.status_code == 200
    assert SEED_TITLE in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_tampered_signed_link_is_refused(client):
    article = import_seed(publish=False)
    other = Article.objects.create(title="Secret draft", slug="secret")
    path = preview.signed_preview_path(article)
    token = path.rstrip("/").rsplit("/", 1)[1]
    forged = token.replace(f"{article.pk}:", f"{other.pk}:", 1)
    assert client.get(reverse("preview:signed", args=[forged])).status_code == 404


def test_signed_link_expires(client, monkeypatch):
    article = import_seed(publish=False)
    path = preview.signed_preview_path(article)
    assert client.get(path).status_code == 200
    signer = signing.TimestampSigner(salt="articles.desk.preview")
    real_timestamp = signer.timestamp
    stale = preview.PREVIEW_LINK_MAX_AGE + timedelta(minutes=1)
    monkeypatch.setattr(
        signing.TimestampSigner,
        "timestamp",
        lambda self: signing.b62_encode(
            int(signing.b62_decode(real_timestamp())) - int(stale.total_seconds())
        ),
    )
    expired = preview.signed_preview_path(article)
    monkeypatch.undo()
    response = client.get(expired)
    assert response.status_code == 404


def test_change_page_offers_preview_and_share_link(client):
    article = import_seed(publish=False)
    client.force_login(make_editor())
    page = client.get(change_url(article)).content.decode()
    assert reverse("preview:staff", args=[article.pk]) in page
    assert "http://testserver/preview/link/" in page
    assert "valid 7 days" in page
