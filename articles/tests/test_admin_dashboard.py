"""The admin's front page is the desk's dashboard: today's intake, conflicts, schedule, sources."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from lxml import html

from articles import services
from articles.models import IngestSource
from articles.tests.editorial import import_seed, make_editor, reimport_changed

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client):
    client.force_login(make_editor())
    return client


def dashboard(client):
    page = html.fromstring(client.get(reverse("admin:index")).content)
    return page, " ".join(page.cssselect(".newsroom-dashboard")[0].text_content().split())


def test_dashboard_charts_todays_articles_per_source(desk):
    import_seed()

    page, text = dashboard(desk)

    assert "Came in today: 1" in text
    [bar] = page.cssselect("svg.desk-chart rect")
    assert bar.get("width") == "240"
    labels = [t.text for t in page.cssselect("svg.desk-chart text")]
    assert labels == ["VOA Chinese", "1"]


def test_dashboard_counts_conflicts_scheduled_articles_and_failing_sources(desk, tmp_path):
    article = import_seed(publish=False)
    article.title = "An editor's title"
    article.save()
    reimport_changed(tmp_path, "MNodi", "Modi")
    article.refresh_from_db()
    article.published_at = timezone.now() + timedelta(hours=2)
    services.publish(article)
    IngestSource.objects.create(
        name="wire", path=str(tmp_path / "gone"), failures=3, last_error="gone: no such folder"
    )

    _, text = dashboard(desk)

    assert "Conflicts waiting: 1" in text
    assert "Scheduled: 1" in text and "An editor's title" in text
    assert "Ingest sources failing: 1 of 1" in text
    assert "wire: 3 failed poll(s), gone: no such folder" in text
