"""Continuous ingest: a source's poll imports only new or changed files, once, and a failing
source is reported and retried later and later (the worker-process tests run the schedule)."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.ingest import sources
from articles.models import Article, AuditEntry, IngestedFile, IngestSource
from articles.tests.editorial import SEED

pytestmark = pytest.mark.django_db
DATA = SEED.parents[1] / "articles" / "tests" / "data"


@pytest.fixture
def folder(tmp_path):
    path = tmp_path / "feed"
    path.mkdir()
    return path


def source_for(path, **fields):
    return IngestSource.objects.create(name="wire", path=str(path), **fields)


def test_a_poll_imports_new_files_then_only_what_changed(folder):
    source = source_for(folder, interval_seconds=30)
    (folder / "seed.txt").write_bytes(SEED.read_bytes())

    first = sources.poll(source.pk)
    (folder / "minimal.txt").write_bytes((DATA / "minimal.txt").read_bytes())
    second = sources.poll(source.pk, force=True)
    changed = (
        SEED.read_bytes().replace(b"MNodi", b"Modi").replace(b"1739120343000", b"1739120399000")
    )
    (folder / "seed.txt").write_bytes(changed)
    third = sources.poll(source.pk, force=True)
    fourth = sources.poll(source.pk, force=True)

    assert first.summary.counts["created"] == 1
    assert second.summary.counts["created"] == 1 and sum(second.summary.counts.values()) == 1
    assert third.summary.counts["updated"] == 1 and sum(third.summary.counts.values()) == 1
    assert sum(fourth.summary.counts.values()) == 0
    assert "Narendra Modi" in Article.objects.get(source_id="7968583").body
    source.refresh_from_db()
    assert source.last_summary.startswith("created 0, updated 0")
    assert source.next_run_at == source.last_run_at + timedelta(seconds=30)
    assert (
        AuditEntry.objects.filter(
            event="import_created", detail__endswith="(ingest source wire)"
        ).count()
        == 2
    )


def test_a_poll_that_is_not_due_or_leased_imports_nothing(folder):
    (folder / "seed.txt").write_bytes(SEED.read_bytes())
    later = timezone.now() + timedelta(minutes=5)
    leased = source_for(folder, lease_until=later)
    waiting = IngestSource.objects.create(name="later", path=str(folder), next_run_at=later)

    assert sources.poll(leased.pk) is None
    assert sources.poll(waiting.pk) is None
    assert not Article.objects.exists() and not IngestedFile.objects.exists()


def test_a_missing_folder_is_reported_and_retried_later_and_later(folder):
    source = source_for(folder / "gone", interval_seconds=10)

    sources.poll(source.pk)
    sources.poll(source.pk, force=True)
    source.refresh_from_db()

    assert source.failures == 2 and "gone: no such folder" in source.last_error
    assert source.next_run_at - source.last_run_at == timedelta(seconds=40)
    assert source.lease_until is None

    (folder / "gone").mkdir()
    (folder / "gone" / "seed.txt").write_bytes(SEED.read_bytes())
    sources.poll(source.pk, force=True)
    source.refresh_from_db()
    assert (source.failures, source.last_error) == (0, "")
    assert Article.objects.count() == 1


def test_backoff_stops_at_an_hour():
    source = IngestSource(interval_seconds=60, failures=30)
    assert sources.backoff(source) == timedelta(hours=1)


def git(*args, cwd):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_a_git_source_is_pulled_before_each_poll(tmp_path):
    origin, checkout = tmp_path / "origin", tmp_path / "checkout"
    origin.mkdir()
    git("init", "-q", "-b", "main", cwd=origin)
    git("config", "user.email", "archiver@example.org", cwd=origin)
    git("config", "user.name", "archiver", cwd=origin)
    (origin / "first.txt").write_bytes((DATA / "minimal.txt").read_bytes())
    git("add", ".", cwd=origin)
    git("commit", "-qm", "first", cwd=origin)
    git("clone", "-q", str(origin), str(checkout), cwd=tmp_path)
    source = source_for(checkout, kind=IngestSource.Kind.GIT)
    assert sources.poll(source.pk).summary.counts["created"] == 1

    (origin / "seed.txt").write_bytes(SEED.read_bytes())
    git("add", ".", cwd=origin)
    git("commit", "-qm", "second", cwd=origin)
    result = sources.poll(source.pk, force=True)

    assert result.summary.counts["created"] == 1
    assert Article.objects.count() == 2


def test_a_failing_pull_is_reported_with_gits_message(tmp_path):
    checkout = tmp_path / "not-a-repo"
    checkout.mkdir()
    source = source_for(checkout, kind=IngestSource.Kind.GIT)

    sources.poll(source.pk)
    source.refresh_from_db()

    assert source.failures == 1
    assert source.last_error.startswith(f"git pull in {checkout} failed:")


def test_a_source_that_keeps_failing_stops_and_says_why(folder):
    source = source_for(folder / "gone", failures=sources.MAX_FAILURES - 1)

    sources.poll(source.pk)
    source.refresh_from_db()

    assert not source.enabled
    assert source.last_error == f"stopped after 10 failed polls: {folder / 'gone'}: no such folder"
