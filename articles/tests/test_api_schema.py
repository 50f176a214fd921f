"""The published OpenAPI schema is valid, and every endpoint holds to it under fuzzing."""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from articles.models import Article, Image

SCHEMA = "/api/v1/schema/"


# The schema as a client fetches it (over WSGI: building it reads no rows).
schema = schemathesis.openapi.from_wsgi(SCHEMA, get_wsgi_application())


@pytest.fixture
def articles(db, settings):
    """A few real articles with pictures, for the fuzzer to find beside its random slugs."""
    # Schemathesis calls the WSGI app directly, not through Django's test Client, so keep the
    # test's connection open across requests as the Client does (PostgreSQL would lose it).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    settings.API_ANON_RATE = "100000/min"
    settings.ALLOWED_HOSTS = ["*"]
    cache.clear()
    for n, language in enumerate(("zh-Hans", "fa", "en")):
        article = Article.objects.create(
            title=f"人工智能 {n}",
            slug=f"story-{n}",
            body="<p>正文</p>",
            status=Article.Status.PUBLISHED,
            published_at=timezone.now(),
            language=language,
            source_name="VOA Chinese",
        )
        Image.objects.create(
            article=article,
            role=Image.Role.LEAD,
            original_url="https://gdb.example.org/a.jpg",
            renditions={"jpeg": [{"name": "images/a.jpg", "width": 480, "height": 320}]},
        )
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_the_published_schema_is_valid_openapi_3(client):
    response = client.get(SCHEMA, headers={"Accept": "application/json"})
    assert response.status_code == 200
    validate_schema(response.json())


@schema.parametrize()
@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_endpoint_answers_within_its_schema_and_never_500(articles, case):
    case.call_and_validate()
