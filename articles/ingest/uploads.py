"""Files an editor uploads in the admin (article files, or zips of them), imported by a task.

The uploads are kept in media storage, so a worker on another machine reads what the web
process received. Each file goes through `import_file`, so outcomes and the report are the
command's; a zip is read member by member within limits, so a hostile archive cannot exhaust
the worker. A job whose worker was killed is run again when a worker starts, idempotently.
"""

import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from itertools import groupby
from pathlib import PurePosixPath

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from articles.ingest.service import FAILED, ImportOptions, Outcome, Summary, import_file
from articles.models import ImportJob

MAX_MEMBERS = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 25
# Progress is saved every PROGRESS_EVERY files; a running job silent this long lost its worker.
ABANDONED_AFTER = timedelta(minutes=5)


@dataclass(frozen=True)
class Entry:
    """One article file: a whole upload, or a member of an uploaded zip."""

    name: str
    upload: str
    member: zipfile.ZipInfo | None = None
    problem: str = ""


def create_job(files, *, user=None, publish=False):
    """Store the uploaded files and record a queued job (the caller enqueues it)."""
    with transaction.atomic():
        job = ImportJob.objects.create(user=user, publish=publish)
        job.uploads = [
            default_storage.save(f"imports/{job.pk}/{PurePosixPath(f.name).name}", f) for f in files
        ]
        job.save(update_fields=["uploads"])
    return job


def run_job(job_id):
    """Import a job's uploads, saving progress as it goes; returns the finished job."""
    job = ImportJob.objects.get(pk=job_id)
    if not claim(job):
        return job  # finished, or another worker is running it
    job.started_at, job.error = timezone.now(), ""
    job.processed, job.report = 0, []
    summary = Summary()
    try:
        entries = [entry for upload in job.uploads for entry in _entries(upload)]
        job.total = len(entries)
        job.save()
        options = ImportOptions(publish=job.publish, origin=f"upload import {job.pk}")
        for upload, group in groupby(entries, key=lambda entry: entry.upload):
            with _reader(upload) as read:
                for entry in group:
                    outcome = _import(entry, read, options)
                    summary.add(outcome)
                    job.report.append(outcome.as_dict())
                    job.processed, job.counts = job.processed + 1, summary.counts
                    if job.processed % PROGRESS_EVERY == 0:
                        job.save(update_fields=["processed", "counts", "report", "updated_at"])
    except OSError as exc:
        job.status, job.error = ImportJob.Status.FAILED, f"cannot read the uploads: {exc}"
    else:
        job.status = ImportJob.Status.DONE
    job.counts, job.finished_at = summary.counts, timezone.now()
    job.save()
    return job


def claim(job):
    """Mark the job running for this worker, if it is queued or its worker went silent."""
    now = timezone.now()
    runnable = Q(status=ImportJob.Status.QUEUED) | Q(
        status=ImportJob.Status.RUNNING, updated_at__lt=now - ABANDONED_AFTER
    )
    claimed = ImportJob.objects.filter(runnable, pk=job.pk).update(
        status=ImportJob.Status.RUNNING, updated_at=now
    )
    job.status = ImportJob.Status.RUNNING
    return claimed == 1


def abandoned():
    """Jobs left running by a worker that died (no progress saved for ABANDONED_AFTER)."""
    return ImportJob.objects.filter(
        status=ImportJob.Status.RUNNING, updated_at__lt=timezone.now() - ABANDONED_AFTER
    )


def article_ids(job):
    return sorted({row["article_id"] for row in job.report if row["article_id"]})


def _entries(upload):
    name = PurePosixPath(upload).name
    if not name.lower().endswith(".zip"):
        yield Entry(name, upload)
        return
    try:
        with default_storage.open(upload, "rb") as stored, zipfile.ZipFile(stored) as archive:
            members = [m for m in archive.infolist() if _is_article_file(m)]
    except zipfile.BadZipFile as exc:
        yield Entry(name, upload, problem=f"not a readable zip: {exc}")
        return
    if len(members) > MAX_MEMBERS:
        yield Entry(name, upload, problem=f"more than {MAX_MEMBERS} files in one zip")
        return
    for member in sorted(members, key=lambda m: m.filename):
        yield Entry(f"{name}/{member.filename}", upload, member)


def _is_article_file(member):
    parts = PurePosixPath(member.filename).parts
    return not member.is_dir() and not any(p.startswith((".", "__MACOSX")) for p in parts)


@contextmanager
def _reader(upload):
    """A function from an entry of this upload to its bytes; a zip is opened once."""
    with default_storage.open(upload, "rb") as stored:
        if not PurePosixPath(upload).name.lower().endswith(".zip"):
            yield lambda entry: stored.read()
            return
        try:
            archive = zipfile.ZipFile(stored)
        except zipfile.BadZipFile:
            yield None  # its one entry already carries the problem
            return
        with archive:
            yield lambda entry: archive.read(entry.member)


def _import(entry, read, options):
    if entry.problem:
        return Outcome(entry.name, FAILED, reason=entry.problem, line=0)
    size = entry.member.file_size if entry.member else default_storage.size(entry.upload)
    if size > MAX_FILE_BYTES:
        return Outcome(entry.name, FAILED, reason=f"larger than {MAX_FILE_BYTES} bytes", line=0)
    try:
        data = read(entry)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        # A corrupt, encrypted or oddly compressed member: this file fails, the rest go on.
        return Outcome(entry.name, FAILED, reason=f"cannot unpack: {exc}", line=0)
    return import_file(entry.name, options, data=data)
