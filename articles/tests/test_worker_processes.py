"""Background tasks run by a real worker process, on the database backend and on Redis (RQ).

Each test starts `manage.py worker` over its own SQLite file (and, for RQ, a private
redis-server); another process enqueues, as a web request or a command would.
"""

import json

import pytest

from articles.images.testing import LOOPBACK, ImageServer, sample_picture
from articles.tests.live_site import SEED, running_worker
from articles.tests.test_upload_import import three_file_zip
from bench.generate import article as synthetic_article

BACKENDS = ["database", "rq"]


@pytest.fixture(params=BACKENDS)
def worker(request, tmp_path):
    # The worker may fetch from the test's loopback image server, and fetches nothing unasked.
    with running_worker(
        tmp_path,
        request.param,
        MEDIA_ROOT=str(tmp_path / "media"),
        NEWSROOM_IMAGE_TRUSTED_NETWORKS=f"{LOOPBACK}/32",
        NEWSROOM_FETCH_IMAGES="False",
        NEWSROOM_INGEST_LEASE_SECONDS="2",
    ) as site:
        yield site


def enqueue(site, code):
    site.manage("shell", "-c", code)


def add_source(site, folder):
    """An ingest source polled every second, as an administrator would save it."""
    enqueue(
        site,
        "from articles.models import IngestSource; from articles.tasks import poll_later; "
        f"poll_later(IngestSource.objects.create(name='wire', path={str(folder)!r}, "
        "interval_seconds=1))",
    )


def test_a_worker_runs_an_import_queued_by_the_command(worker):
    worker.manage("import_articles", "--in-background", "--publish", str(SEED))

    worker.wait_until(
        "SELECT status, source_name FROM articles_article", [("published", "VOA Chinese")]
    )


def test_a_worker_fetches_the_images_an_editor_asked_for(worker):
    worker.manage("import_articles", "-v0", str(SEED))
    with ImageServer() as server:
        lead = server.serve("/lead.jpg", sample_picture(800, 500))
        enqueue(
            worker,
            "from articles.models import Image; from articles.tasks import fetch_images_later; "
            f"Image.objects.update(original_url={lead!r}); "
            "fetch_images_later(Image.objects.values_list('article_id', flat=True), always=True)",
        )

        worker.wait_until("SELECT fetch_status, width FROM articles_image", [("fetched", 800)])
    assert server.requests == ["/lead.jpg"]


def test_a_worker_imports_an_editors_upload_and_reports_each_file(worker, tmp_path):
    archive = tmp_path / "feed.zip"
    archive.write_bytes(three_file_zip())
    enqueue(
        worker,
        "from django.core.files import File; from articles.ingest import uploads; "
        "from articles.tasks import import_uploads_later; "
        f"f = File(open({str(archive)!r}, 'rb'), name='feed.zip'); "
        "import_uploads_later(uploads.create_job([f]))",
    )

    worker.wait_until("SELECT status, processed FROM articles_importjob", [("done", 3)])
    [(counts,)] = worker.query("SELECT counts FROM articles_importjob")
    assert json.loads(counts) == {
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "conflict": 0,
        "stale": 0,
        "failed": 1,
    }


def test_a_folder_source_picks_up_a_new_file_and_a_changed_one_on_its_own(worker, tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    add_source(worker, feed)
    worker.wait_until(
        "SELECT last_summary FROM articles_ingestsource",
        [("created 0, updated 0, unchanged 0, conflicts 0, failed 0",)],
    )

    (feed / "seed.txt").write_bytes(SEED.read_bytes())
    worker.wait_until("SELECT dateline FROM articles_article", [("华盛顿",)])
    changed = SEED.read_bytes().replace(b"1739120343000", b"1739120399000")
    (feed / "seed.txt").write_bytes(changed.replace("华盛顿 —".encode(), "纽约 —".encode()))
    worker.wait_until("SELECT dateline FROM articles_article", [("纽约",)])
    assert worker.query("SELECT count(*) FROM articles_ingestedfile") == [(1,)]


def test_a_failing_source_is_retried_and_reported_without_stopping_the_worker(worker, tmp_path):
    feed = tmp_path / "later"
    add_source(worker, feed)
    worker.wait_until(
        "SELECT failures >= 2, last_error FROM articles_ingestsource",
        [(1, f"{feed}: no such folder")],
    )

    feed.mkdir()
    (feed / "seed.txt").write_bytes(SEED.read_bytes())
    worker.wait_until(
        "SELECT failures, last_error FROM articles_ingestsource", [(0, "")], seconds=60
    )
    assert worker.query("SELECT count(*) FROM articles_article") == [(1,)]
    assert worker.worker.poll() is None  # the worker survived every failed poll


def test_a_worker_killed_mid_poll_leaves_every_file_imported_once_after_a_restart(worker, tmp_path):
    feed = tmp_path / "feed"
    feed.mkdir()
    for index in range(500):
        (feed / f"{index:04d}.txt").write_text(synthetic_article(index), encoding="utf-8")
    add_source(worker, feed)
    worker.wait_until("SELECT count(*) > 0 FROM articles_article", [(1,)])

    worker.worker.kill()  # SIGKILL, mid-poll: the batch in hand is rolled back
    worker.worker.wait()
    killed_at = worker.query("SELECT count(*) FROM articles_article")[0][0]
    worker.start_worker()

    worker.wait_until("SELECT count(*) FROM articles_article", [(500,)], seconds=120)
    assert killed_at < 500
    assert worker.query("SELECT count(*) FROM articles_ingestedfile") == [(500,)]
    assert worker.query("SELECT count(DISTINCT source_url) FROM articles_article") == [(500,)]
    assert worker.query("SELECT count(*) FROM articles_auditentry") == [(500,)]
