"""Administrators see recent background jobs with the database backend: queued, done, failed
with the reason (django-tasks-db's admin), after a worker ran them."""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.tasks import run_import_job

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failed_task_shows_its_reason_in_the_admin(client, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_import_job.enqueue(424242)  # no such job: the task fails
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw"))
    queued = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist")
    ).content.decode()

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    listing = client.get(
        reverse("admin:django_tasks_database_dbtaskresult_changelist")
    ).content.decode()
    assert "run_import_job" in queued and "Ready" in queued
    assert "Failed" in listing
    change = reverse(
        "admin:django_tasks_database_dbtaskresult_change", args=[DBTaskResult.objects.get().pk]
    )
    assert "ImportJob matching query does not exist" in client.get(change).content.decode()
