"""`/healthz` answers load balancers: database reachable or not, over plain http, never cached."""

import pytest
from django.db import OperationalError

from newsroom import health


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


class _BrokenConnection:
    def cursor(self):
        raise OperationalError("connection refused")


@pytest.mark.django_db
def test_healthz_reports_503_when_the_database_is_unreachable(client, monkeypatch):
    monkeypatch.setattr(health, "connection", _BrokenConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.django_db
def test_healthz_is_not_redirected_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301
