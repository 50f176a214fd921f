"""Background tasks on Django's task API (django-tasks until Django 6): thin, they call services.

Which backend runs them is settings.TASKS_BACKEND; `manage.py worker` runs the worker for it.
Arguments and results are JSON, as every backend stores them.
"""

from django.conf import settings
from django.db import transaction
from django_tasks import task

from articles.images.service import fetch_images
from articles.ingest import sources, uploads
from articles.ingest.service import ImportOptions, Summary, import_paths
from articles.models import Image, IngestSource


@task()
def import_files(paths, publish=False):
    """Import files or folders as `import_articles` would; returns the summary's counts."""
    summary = Summary()
    article_ids = []
    for outcome in import_paths(paths, ImportOptions(publish=publish)):
        summary.add(outcome)
        if outcome.article_id:
            article_ids.append(outcome.article_id)
    fetch_images_later(article_ids)
    return summary.counts


@task()
def run_import_job(job_id):
    """Import the files of an editor's upload (an ImportJob), then fetch their images."""
    job = uploads.run_job(job_id)
    fetch_images_later(uploads.article_ids(job))
    return job.counts


def import_uploads_later(job):
    transaction.on_commit(lambda: run_import_job.enqueue(job.pk))


@task()
def fetch_article_images(article_ids):
    """Copy these articles' pending or failed images; each image records fetched or failed."""
    summary = fetch_images(Image.objects.filter(article_id__in=article_ids))
    return {"fetched": summary.fetched, "failed": summary.failed}


def fetch_images_later(article_ids, *, always=False):
    """Enqueue the images' fetch once the transaction commits, so the caller never waits.

    Automatic fetches (after import or publish) follow NEWSROOM_FETCH_IMAGES; an editor's
    explicit request (`always`) does not.
    """
    article_ids = sorted(set(article_ids))
    if article_ids and (always or settings.NEWSROOM_FETCH_IMAGES):
        transaction.on_commit(lambda: fetch_article_images.enqueue(article_ids))


@task()
def poll_source(source_id, force=False):
    """Poll an ingest source, then enqueue its next poll: the chain of polls is the schedule.

    A poll that finds the source leased comes back when the lease ends, in case the holder
    was killed; one that finds it not due ends, as the chain's own next poll is queued.
    """
    result = sources.poll(source_id, force=force)
    if result is None:
        leased_until = sources.leased_until(source_id)
        if leased_until:
            schedule_poll(source_id, leased_until)
        return None
    fetch_images_later(result.article_ids)
    if result.source.enabled:
        schedule_poll(source_id, result.source.next_run_at)
    return result.summary.counts


def schedule_poll(source_id, when):
    """A deferred poll (backends that cannot defer, such as the immediate one: none)."""
    if poll_source.get_backend().supports_defer:
        poll_source.using(run_after=when).enqueue(source_id)


def poll_later(source):
    """Poll this source once the transaction commits, due or not (an editor asked)."""
    transaction.on_commit(lambda: poll_source.enqueue(source.pk, True))


def resume_background_work():
    """On a worker's start: restart every enabled source's chain of polls and re-run upload
    imports whose worker died. Duplicates are harmless: a poll not due, or leased, and a job
    already claimed do nothing."""
    for pk in IngestSource.objects.filter(enabled=True).values_list("pk", flat=True):
        poll_source.enqueue(pk)
    for pk in uploads.abandoned().values_list("pk", flat=True):
        run_import_job.enqueue(pk)
