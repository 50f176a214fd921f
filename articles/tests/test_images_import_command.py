"""`import_articles --fetch-images`: fetch after importing, report, retry only what failed."""

from io import StringIO

import pytest
from django.core.management import call_command

from articles.images.testing import loopback_image_server, sample_picture
from articles.models import Article, Image
from articles.tests.editorial import SEED, import_seed

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_articles", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def server(settings, monkeypatch, tmp_path):
    with loopback_image_server(settings, monkeypatch, tmp_path / "media") as server:
        yield server


def test_fetch_images_reports_failures_and_a_rerun_retries_only_them(server):
    article = import_seed()
    lead = article.images.get()
    lead_url = server.url("/lead.jpg")
    article.images.update(original_url=lead_url)
    server.serve("/inline.jpg", sample_picture(640, 400))
    Image.objects.create(article=article, original_url=server.url("/inline.jpg"), position=1)

    out, err = run(str(SEED), "--fetch-images")

    assert out.splitlines()[-1] == "images: fetched 1, failed 1"
    assert f"{lead_url}: HTTP 404 Not Found from 127.0.0.1" in err
    lead.refresh_from_db()
    assert lead.fetch_status == Image.FetchStatus.FAILED
    assert Article.objects.published().filter(pk=article.pk).exists()

    server.serve("/lead.jpg", sample_picture(1200, 800))
    server.requests.clear()
    out, err = run(str(SEED), "--fetch-images")

    assert out.splitlines()[-1] == "images: fetched 1, failed 0"
    assert server.requests == ["/lead.jpg"]
    lead.refresh_from_db()
    assert lead.fetch_status == Image.FetchStatus.FETCHED
    assert lead.renditions["widths"] == [480, 960, 1200]


def test_import_without_the_flag_fetches_nothing(server):
    out, _ = run(str(SEED))
    assert "images:" not in out
    assert server.requests == []
    assert Image.objects.get().fetch_status == Image.FetchStatus.PENDING


def test_dry_run_fetches_nothing(server):
    out, _ = run(str(SEED), "--dry-run", "--fetch-images")
    assert "images:" not in out
    assert server.connected == []
