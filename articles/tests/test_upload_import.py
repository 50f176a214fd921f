"""Editors upload article files or zips in the admin; a task imports them like the command."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.ingest import uploads
from articles.models import Article, AuditEntry, ImportJob
from articles.tests.editorial import SEED, make_editor

pytestmark = pytest.mark.django_db
DATA = SEED.parents[1] / "articles" / "tests" / "data"


def three_file_zip():
    """The seed, a second good article, and a file whose header time is not a number."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("feed/seed.txt", SEED.read_bytes())
        archive.writestr("feed/minimal.txt", (DATA / "minimal.txt").read_bytes())
        archive.writestr("feed/broken.txt", (DATA / "bad_header.txt").read_bytes())
        archive.writestr("__MACOSX/feed/._seed.txt", b"resource fork")
    return buffer.getvalue()


@pytest.fixture
def editor(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(make_editor())
    return client


def upload(client, *files, publish=False):
    data = {"files": list(files)}
    if publish:
        data["publish"] = "on"
    return client.post(reverse("admin:articles_importjob_add"), data)


def test_an_uploaded_zip_is_imported_with_the_commands_outcomes_and_reasons(
    editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(editor, SimpleUploadedFile("feed.zip", three_file_zip()))

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:articles_importjob_change", args=[job.pk])
    assert job.status == ImportJob.Status.DONE
    assert (job.total, job.processed) == (3, 3)
    assert job.counts["created"] == 2 and job.counts["failed"] == 1
    [broken] = [row for row in job.report if row["outcome"] == "failed"]
    assert broken["path"] == "feed.zip/feed/broken.txt" and broken["line"] == 1
    assert "not epoch milliseconds" in broken["reason"]
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 2
    assert (
        AuditEntry.objects.filter(event="import_created", detail__contains="feed.zip").count() == 2
    )

    page = editor.get(response["Location"]).content.decode()
    assert "created 2, updated 0, unchanged 0, conflicts 0, failed 1" in page
    assert "feed.zip/feed/broken.txt" in page and "not epoch milliseconds" in page


def test_several_files_uploaded_again_are_unchanged(editor, django_capture_on_commit_callbacks):
    files = [("seed.txt", SEED), ("minimal.txt", DATA / "minimal.txt")]
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            upload(editor, *(SimpleUploadedFile(n, p.read_bytes()) for n, p in files), publish=True)

    first, second = ImportJob.objects.order_by("pk")
    assert first.counts["created"] == 2 and second.counts["unchanged"] == 2
    assert Article.objects.filter(status=Article.Status.PUBLISHED).count() == 2


def test_the_upload_returns_before_the_import_runs(
    editor, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        upload(editor, SimpleUploadedFile("seed.txt", SEED.read_bytes()))

    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and not Article.objects.exists()
    assert "Queued" in editor.get(reverse("admin:articles_importjob_changelist")).content.decode()


def test_a_damaged_zip_fails_as_one_file_and_the_job_finishes(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    job = uploads.create_job([SimpleUploadedFile("bad.zip", b"PK\x03\x04 not really")])

    job = uploads.run_job(job.pk)

    assert job.status == ImportJob.Status.DONE
    assert [(r["path"], r["outcome"]) for r in job.report] == [("bad.zip", "failed")]
    assert job.report[0]["reason"].startswith("not a readable zip")


def test_a_job_left_running_by_a_killed_worker_is_run_again_and_finishes(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    job = uploads.create_job([SimpleUploadedFile("seed.txt", SEED.read_bytes())])
    silent = timezone.now() - uploads.ABANDONED_AFTER - timedelta(seconds=1)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, updated_at=silent)
    busy = uploads.create_job([SimpleUploadedFile("seed.txt", SEED.read_bytes())])
    ImportJob.objects.filter(pk=busy.pk).update(status=ImportJob.Status.RUNNING)

    assert list(uploads.abandoned()) == [job]
    assert uploads.run_job(busy.pk).status == ImportJob.Status.RUNNING  # its worker is alive
    assert uploads.run_job(job.pk).status == ImportJob.Status.DONE
    assert Article.objects.count() == 1
