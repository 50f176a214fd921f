"""Background tasks run by a real worker process, on the database backend and on Redis (RQ).

Each test starts `manage.py worker` over its own SQLite file (and, for RQ, a private
redis-server); another process enqueues, as a web request or a command would.
"""

import pytest

from articles.tests.live_site import SEED, running_worker

BACKENDS = ["database", "rq"]


@pytest.fixture(params=BACKENDS)
def worker(request, tmp_path):
    with running_worker(tmp_path, request.param) as site:
        yield site


def enqueue(site, code):
    site.manage("shell", "-c", code)


def test_a_worker_runs_an_import_enqueued_by_another_process(worker):
    enqueue(
        worker,
        f"from articles.tasks import import_files; import_files.enqueue([{str(SEED)!r}], True)",
    )

    worker.wait_until(
        "SELECT status, source_name FROM articles_article", [("published", "VOA Chinese")]
    )
