"""`manage.py worker`: run the worker of the configured task backend (settings.TASKS_BACKEND).

One command for `make run`, production and tests, whichever backend the one setting chooses.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.tasks import resume_background_work


class Command(BaseCommand):
    help = "Run background tasks: db_worker for TASKS_BACKEND=database, rqworker for rq."

    def add_arguments(self, parser):
        parser.add_argument("--batch", action="store_true", help="run what is queued, then exit")

    def handle(self, *args, **options):
        backend = settings.TASKS_BACKEND
        verbosity = options["verbosity"]
        if backend != "immediate":
            resume_background_work()  # what a killed worker left: polls, upload imports
        if backend == "database":
            extra = ["--batch"] if options["batch"] else []
            interval = ["--interval", str(settings.TASKS_POLL_SECONDS)]
            call_command("db_worker", "--no-reload", *interval, *extra, verbosity=verbosity)
        elif backend == "rq":
            extra = ["--burst"] if options["batch"] else []
            # The scheduler runs deferred tasks (run_after), such as the ingest sources' polls.
            call_command(
                "rqworker",
                "default",
                "--job-class",
                "django_tasks_rq.Job",
                "--with-scheduler",
                *extra,
                verbosity=verbosity,
            )
        else:
            raise CommandError(f"TASKS_BACKEND={backend} runs tasks in-process: no worker to run")
