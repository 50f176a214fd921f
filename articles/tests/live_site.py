"""The site as production runs it, for tests that cross processes: gunicorn over a private
redis-server and a migrated SQLite file holding the seed article, and, in front, Varnish.

Every server is started by the test on free loopback ports and stopped after it; a missing
server program skips the test on a laptop and fails it in CI, where .ci/run installs them.
"""

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SEED = BASE / "seeds" / "000_eea83d68b8caacf9.txt"
VARNISH_CONFIG = BASE / "deploy" / "varnish"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def program(name):
    """The path of a server program, or skip (fail in CI) when it is not installed."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if not path:
        message = f"{name} is not installed (see .ci/run for its Debian package)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def get(url, headers=None, method="GET"):
    """(status, headers, text) of one request, errors included."""
    request = urllib.request.Request(url, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(url, process, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return get(url)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class Site:
    """A running site: `base` is gunicorn's address; `manage()` runs a command beside it."""

    def __init__(self, tmp_path, **settings_env):
        self.redis_port, self.web_port = free_port(), free_port()
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
            "DEBUG": "False",
            "SECURE": "False",
            "SECRET_KEY": "live-site-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "PAGE_CACHE_SECONDS": "600",
            "STATIC_ROOT": str(tmp_path / "static"),
            "WEB_CONCURRENCY": "2",
            "GUNICORN_BIND": f"127.0.0.1:{self.web_port}",
            "LOG_LEVEL": "WARNING",
            # Tasks (front-cache purges) run in the web worker unless a test starts a worker.
            "TASKS_BACKEND": "immediate",
            **settings_env,
        }
        self.env.pop("PYTEST_CURRENT_TEST", None)
        self.tmp_path = tmp_path
        self.web = self.worker = None

    def manage(self, *args):
        command = [sys.executable, str(BASE / "manage.py"), *args]
        subprocess.run(command, env=self.env, cwd=BASE, check=True)

    def start_web(self):
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.web = subprocess.Popen(
            [str(gunicorn), "--config", str(BASE / "gunicorn.conf.py")],
            env=self.env,
            cwd=BASE,
            stderr=subprocess.PIPE,
        )
        wait_for(self.base + "/healthz", self.web)

    def stop_web(self):
        stop(self.web)

    def start_worker(self):
        """`manage.py worker`, its output in worker.log (read it when a test fails)."""
        log = open(self.tmp_path / "worker.log", "ab")  # noqa: SIM115 (the process keeps it)
        self.worker = subprocess.Popen(
            [sys.executable, str(BASE / "manage.py"), "worker", "-v2"],
            env=self.env,
            cwd=BASE,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def query(self, sql, *params):
        """Rows from the site's SQLite file, read the way a second process would."""
        with closing(sqlite3.connect(self.tmp_path / "site.sqlite3", timeout=20)) as db:
            return db.execute(sql, params).fetchall()

    def wait_until(self, sql, expected, seconds=30):
        """Poll `sql` until it returns `expected`; fail with the worker's log otherwise."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            rows = self.query(sql)
            if rows == expected:
                return rows
            time.sleep(0.1)
        log = (self.tmp_path / "worker.log").read_text(errors="replace")[-3000:]
        raise AssertionError(f"{sql} gave {rows}, not {expected}, after {seconds} s\n{log}")


@contextmanager
def running_site(tmp_path, *, worker=False, **settings_env):
    """gunicorn (2 workers) over Redis and a migrated SQLite file with the seed, published.

    With `worker`, tasks (front-cache purges among them) queue in that Redis and a real
    `manage.py worker` runs them, as in production; otherwise they run where they are enqueued.
    """
    redis_server = program("redis-server")
    site = Site(tmp_path, **settings_env)
    if worker:
        site.env["TASKS_BACKEND"] = "rq"
        site.env["TASKS_REDIS_URL"] = f"redis://127.0.0.1:{site.redis_port}/1"
    site.manage("migrate", "-v0")
    site.manage("collectstatic", "--noinput", "-v0")
    redis = subprocess.Popen(
        [redis_server, "--port", str(site.redis_port), "--bind", "127.0.0.1", "--save", ""],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    try:
        site.manage("import_articles", "--publish", str(SEED))
        site.start_web()
        if worker:
            site.start_worker()
        yield site
    finally:
        if site.web and site.web.poll() is None:
            site.stop_web()
        if site.worker and site.worker.poll() is None:
            stop(site.worker)
        stop(redis)


@contextmanager
def running_varnish(tmp_path, backend_port, port):
    """varnishd with deploy/varnish/newsroom.vcl, its backend.vcl pointed at `backend_port`."""
    varnishd = program("varnishd")
    config = tmp_path / "varnish-config"
    config.mkdir()
    backend = (VARNISH_CONFIG / "backend.vcl").read_text()
    (config / "backend.vcl").write_text(backend.replace('"8000"', f'"{backend_port}"'))
    workdir = tmp_path / "varnish"
    process = subprocess.Popen(
        [
            varnishd, "-F", "-j", "none", "-n", str(workdir),
            "-a", f"127.0.0.1:{port}", "-T", "none",
            "-f", str(VARNISH_CONFIG / "newsroom.vcl"),
            "-p", f"vcl_path={config}:{VARNISH_CONFIG}",
            "-s", "malloc,64m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        yield process
    finally:
        stop(process)


@contextmanager
def running_worker(tmp_path, backend, **settings_env):
    """`manage.py worker` for TASKS_BACKEND=`backend` over a migrated SQLite file; for "rq",
    over a private redis-server. `site.manage()` enqueues from another process."""
    site = Site(tmp_path, TASKS_BACKEND=backend, **settings_env)
    redis = None
    if backend == "rq":
        redis_server = program("redis-server")
        site.env["TASKS_REDIS_URL"] = f"redis://127.0.0.1:{site.redis_port}/1"
        redis = subprocess.Popen(
            [redis_server, "--port", str(site.redis_port), "--bind", "127.0.0.1", "--save", ""],
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
        )
    else:
        site.env["CACHE_URL"] = "locmemcache://worker-test"
    site.manage("migrate", "-v0")
    try:
        site.start_worker()
        yield site
    finally:
        if site.worker and site.worker.poll() is None:
            stop(site.worker)
        if redis:
            stop(redis)
