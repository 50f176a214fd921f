"""A takedown reaches every worker at once: two gunicorn workers sharing Redis, as in production.

The site runs as `make serve` runs it (DEBUG off, the page cache on for ten minutes, so only
invalidation, never expiry, can make a page fresh), on its own SQLite file and a private
redis-server. The change is made by a third process, as an editor's request on another worker
or a management command would make it.
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
SEED = BASE / "seeds" / "000_eea83d68b8caacf9.txt"
READER_URLS = [
    "/en/",
    "/feeds/rss.xml",
    "/feeds/feed.json",
    "/sitemap-articles.xml",
    "/en/search/?q=%E5%B7%B4%E9%BB%8E",  # 巴黎
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url):
    """(status, headers, text) of an anonymous GET."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(url, process):
    for _ in range(150):
        try:
            return get(url)
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer")


@pytest.fixture
def site(tmp_path):
    """Base URL of gunicorn (2 workers) over Redis and a migrated SQLite file with the seed."""
    redis_server = shutil.which("redis-server")
    if not redis_server:
        if os.environ.get("CI"):
            pytest.fail("redis-server is not installed (apt-get install redis-server)")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    redis_port, web_port = free_port(), free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "DEBUG": "False",
        "SECURE": "False",
        "SECRET_KEY": "takedown-test-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "PAGE_CACHE_SECONDS": "600",
        "STATIC_ROOT": str(tmp_path / "static"),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_BIND": f"127.0.0.1:{web_port}",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PYTEST_CURRENT_TEST", None)
    manage = [sys.executable, str(BASE / "manage.py")]
    for command in (["migrate", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([*manage, *command], env=env, cwd=BASE, check=True)
    redis = subprocess.Popen(
        [redis_server, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", ""],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [*manage, "import_articles", "--publish", str(SEED)], env=env, cwd=BASE, check=True
    )
    web = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--config", str(BASE / "gunicorn.conf.py")],
        env=env,
        cwd=BASE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{web_port}"
    try:
        wait_for(base + "/healthz", web)
        yield base, env, manage
    finally:
        for process in (web, redis):
            process.terminate()
            process.wait(timeout=30)


def seed_slug(base):
    status, _, page = get(base + "/en/")
    assert status == 200
    return page.split('href="/zh-hans/articles/', 1)[1].split("/", 1)[0]


@pytest.mark.parametrize("change", ["unpublish", "delete"])
def test_a_takedown_is_gone_from_every_worker_at_once(site, change, artifacts_dir):
    base, env, manage = site
    slug = seed_slug(base)
    urls = [f"/zh-hans/articles/{slug}/", *READER_URLS]
    # Enough requests that both workers have served (and the cache holds) every page.
    for url in urls:
        for _ in range(6):
            status, headers, page = get(base + url)
            assert status == 200 and slug in page, url
        assert headers["X-Cache"] == "hit", url

    code = (
        "from articles import services; from articles.models import Article; "
        f"article = Article.objects.get(slug={slug!r}); "
        + ("services.unpublish(article)" if change == "unpublish" else "article.delete()")
    )
    subprocess.run([*manage, "shell", "-c", code], env=env, cwd=BASE, check=True)
    changed_at = time.monotonic()

    first_404 = None
    for _ in range(6):
        status, headers, page = get(base + urls[0])
        assert status == 404
        first_404 = first_404 or time.monotonic() - changed_at
        for url in READER_URLS:
            status, headers, page = get(base + url)
            assert status == 200 and slug not in page, url
    (artifacts_dir / "timings.json").write_text(
        json.dumps({"change": change, "first_404_after_change_s": round(first_404, 4)})
    )
