"""Background tasks on Django's task API (django-tasks until Django 6): thin, they call services.

Which backend runs them is settings.TASKS_BACKEND; `manage.py worker` runs the worker for it.
Arguments and results are JSON, as every backend stores them.
"""

from django_tasks import task

from articles.ingest.service import ImportOptions, Summary, import_paths


@task()
def import_files(paths, publish=False):
    """Import files or folders as `import_articles` would; returns the summary's counts."""
    summary = Summary()
    for outcome in import_paths(paths, ImportOptions(publish=publish)):
        summary.add(outcome)
    return summary.counts
