"""Continuous ingest: poll a source (a folder, or a git checkout that is pulled) for changes.

A poll imports only files that are new or changed since the source last saw them (size and
modification time, then the content's hash), through `import_file`, so the command's
idempotence, conflict and stale rules hold. A source is polled by one worker at a time: the
worker takes a lease on its row under `select_for_update` (SQLite serialises the same write),
and the lease expires if that worker dies. A failing source records its error and waits
longer before each retry (backoff), and stops (disabled, saying why) after MAX_FAILURES in a
row; it never raises into the worker.
"""

import hashlib
import logging
import subprocess
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.ingest.service import FAILED, ImportOptions, Summary, import_file, iter_article_files
from articles.models import IngestedFile, IngestSource

logger = logging.getLogger(__name__)

BATCH = 200
MAX_BACKOFF = timedelta(hours=1)
MAX_FAILURES = 10
GIT_TIMEOUT_SECONDS = 120


class SourceError(Exception):
    """The source cannot be read now (missing folder, failed pull): retried with backoff."""


@dataclass
class PollResult:
    source: IngestSource
    summary: Summary
    article_ids: list


def claim(source_id, *, force=False):
    """The source, leased to this caller until its poll ends; None if not due or taken."""
    now = timezone.now()
    with transaction.atomic():
        source = IngestSource.objects.select_for_update().filter(pk=source_id).first()
        if source is None or not source.enabled:
            return None
        if source.lease_until and source.lease_until > now:
            return None
        if not force and source.next_run_at and source.next_run_at > now + timedelta(seconds=1):
            return None  # a duplicate poll: the one scheduled for next_run_at will run
        source.lease_until = now + lease()
        source.save(update_fields=["lease_until"])
    return source


def poll(source_id, *, force=False):
    """Poll one source if it is due and free; returns a PollResult, or None if skipped."""
    source = claim(source_id, force=force)
    if source is None:
        return None
    summary, article_ids = Summary(), []
    now = timezone.now()
    source.last_run_at = now
    try:
        folder = _prepare(source)
        for outcome in _import_changes(source, folder):
            summary.add(outcome)
            if outcome.article_id and outcome.outcome != FAILED:
                article_ids.append(outcome.article_id)
    except SourceError as exc:
        source.failures += 1
        source.last_error = str(exc)
        source.next_run_at = now + backoff(source)
        if source.failures >= MAX_FAILURES:
            source.enabled = False
            source.last_error = f"stopped after {source.failures} failed polls: {exc}"
        logger.warning("ingest source %s failed (%d in a row): %s", source, source.failures, exc)
    else:
        source.failures, source.last_error = 0, ""
        source.last_success_at = now
        source.last_summary = str(summary)
        source.next_run_at = now + timedelta(seconds=source.interval_seconds)
    source.lease_until = None
    source.save()
    return PollResult(source, summary, article_ids)


def leased_until(source_id):
    """When another worker's lease on an enabled source ends, if it holds one now."""
    return (
        IngestSource.objects.filter(pk=source_id, enabled=True, lease_until__gt=timezone.now())
        .values_list("lease_until", flat=True)
        .first()
    )


def lease():
    """How long a poll may hold its source between two batches before another may take it."""
    return timedelta(seconds=settings.NEWSROOM_INGEST_LEASE_SECONDS)


def backoff(source):
    """Twice the interval per failure in a row, at most an hour."""
    seconds = source.interval_seconds * 2 ** min(source.failures, 16)
    return min(timedelta(seconds=seconds), MAX_BACKOFF)


def _prepare(source):
    folder = Path(source.path)
    if source.kind == IngestSource.Kind.GIT:
        _pull(folder)
    if not folder.is_dir():
        raise SourceError(f"{folder}: no such folder")
    return folder


def _pull(folder):
    try:
        result = subprocess.run(  # noqa: S603 (fixed arguments, the path is one argument)
            ["git", "-C", str(folder), "pull", "--ff-only", "--quiet"],  # noqa: S607
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"git pull in {folder}: {exc}") from exc
    if result.returncode != 0:
        message = (result.stderr or result.stdout).strip().splitlines()
        raise SourceError(f"git pull in {folder} failed: {' '.join(message)[:500]}")


def _import_changes(source, folder):
    """Import new and changed files in batches (one commit each, a savepoint per file)."""
    known = {f.path: f for f in IngestedFile.objects.filter(source=source)}
    options = ImportOptions(publish=source.publish, origin=f"ingest source {source.name}")
    batch = []
    for path in iter_article_files([folder]):
        batch.append(path)
        if len(batch) >= BATCH:
            yield from _import_batch(source, batch, known, options)
            batch = []
    if batch:
        yield from _import_batch(source, batch, known, options)


def _import_batch(source, paths, known, options):
    outcomes = []
    with transaction.atomic():
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                continue  # removed since the folder was listed
            seen = known.get(str(path))
            if seen and (seen.size, seen.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                continue
            try:
                data = path.read_bytes()
            except OSError:
                continue
            digest = hashlib.sha256(data).hexdigest()
            if seen and seen.content_hash == digest:
                seen.size, seen.mtime_ns = stat.st_size, stat.st_mtime_ns
                seen.save(update_fields=["size", "mtime_ns"])
                continue
            outcome = import_file(path, options, data=data)
            known[str(path)], _ = IngestedFile.objects.update_or_create(
                source=source,
                path=str(path),
                defaults={
                    "size": stat.st_size,
                    "mtime_ns": stat.st_mtime_ns,
                    "content_hash": digest,
                    "outcome": outcome.outcome,
                    "article_id": outcome.article_id,
                    "seen_at": timezone.now(),
                },
            )
            outcomes.append(outcome)
        IngestSource.objects.filter(pk=source.pk).update(lease_until=timezone.now() + lease())
    return outcomes
