"""Real Varnish in front of gunicorn, with deploy/varnish/newsroom.vcl: what readers get.

Changes are made by another process (`manage.py shell`), as an editor's request would make
them; after its transaction commits, that process queues the purge in Redis and a real
`manage.py worker` (the RQ backend) purges Varnish by surrogate key. Freshness is therefore
polled for, and must come within a second.
"""

import http.client
import time
from contextlib import contextmanager

import pytest

from articles.tests.live_site import free_port, get, running_site, running_varnish

pytestmark = pytest.mark.django_db(transaction=False)


@contextmanager
def running_front(tmp_path, *, worker=False, **settings_env):
    """(front URL, site): the seed site with Varnish in front, purged by the site."""
    port = free_port()
    settings_env["VARNISH_PURGE_URLS"] = f"http://127.0.0.1:{port}/"
    with (
        running_site(tmp_path, worker=worker, **settings_env) as site,
        running_varnish(tmp_path, site.web_port, port) as varnish,
    ):
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while get_or_none(base + "/healthz") != 200:
            if varnish.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the site did not answer through Varnish within 20 s")
            time.sleep(0.2)
        yield base, site


def get_or_none(url):
    try:
        return get(url)[0]
    except OSError:
        return None


@pytest.fixture(scope="module")
def front(tmp_path_factory):
    """Pages kept for 300 s: only a purge can make them fresh within a test."""
    tmp_path = tmp_path_factory.mktemp("front")
    with running_front(tmp_path, worker=True, FRONT_CACHE_SECONDS="300") as front:
        yield front


def within_a_second(url, fresh):
    """Seconds until `fresh((status, headers, text))` holds for `url`, polled; fails past 1 s."""
    started = time.monotonic()
    while not fresh(get(url)):
        elapsed = time.monotonic() - started
        assert elapsed < 1, "the front cache still served the old page after 1 s"
        time.sleep(0.01)
    return time.monotonic() - started


def seed_path(base):
    status, _, page = get(base + "/en/")
    assert status == 200
    return (
        "/zh-hans/articles/" + page.split('href="/zh-hans/articles/', 1)[1].split("/", 1)[0] + "/"
    )


def cached_at_the_front(base, *urls):
    """Request each URL until Varnish holds it: the second request must be a hit."""
    for url in urls:
        get(base + url)
        assert get(base + url)[1]["X-Cache"] == "HIT", url


def change(site, statement):
    """Run `statement` with `article` bound to the seed article, in another process."""
    site.manage(
        "shell",
        "-c",
        "from articles import services; from articles.models import Article; "
        f"article = Article.objects.get(); {statement}",
    )


def test_a_public_page_is_served_by_varnish_with_its_tags_kept_private(front):
    base, _ = front
    path = seed_path(base)
    first = get(base + path)
    second = get(base + path)
    assert first[0] == second[0] == 200
    assert second[1]["X-Cache"] == "HIT"
    assert int(second[1]["Age"]) >= 0
    assert second[2] == first[2]
    for header in ("Surrogate-Key", "Surrogate-Control", "xkey"):
        assert header not in second[1]


def test_an_edit_shows_at_the_front_within_a_second(front):
    base, site = front
    path = seed_path(base)
    cached_at_the_front(base, path, "/en/", "/feeds/rss.xml")

    change(site, "article.title = 'Corrected headline'; article.save()")

    for url in (path, "/en/", "/feeds/rss.xml"):
        within_a_second(base + url, lambda got: got[0] == 200 and "Corrected headline" in got[2])


def test_a_signed_in_editor_is_never_served_from_nor_stored_in_the_cache(front):
    base, _ = front
    path = seed_path(base)
    get(base + path)
    editor = {"Cookie": "sessionid=an-editors-session; csrftoken=token"}
    for _ in range(2):
        assert get(base + path, headers=editor)[1]["X-Cache"] == "MISS"
        assert get(base + "/admin/login/", headers=editor)[1]["X-Cache"] == "MISS"
    # The anonymous copy is untouched by the editor's requests.
    assert get(base + path)[1]["X-Cache"] == "HIT"
    # An analytics cookie alone does not stop a reader getting the cached page.
    assert get(base + path, headers={"Cookie": "_ga=GA1.1"})[1]["X-Cache"] == "HIT"


def test_purge_is_refused_from_outside_the_acl_and_without_keys(front):
    base, _ = front
    path = seed_path(base)
    get(base + path)
    port = int(base.rsplit(":", 1)[1])
    outsider = http.client.HTTPConnection("127.0.0.1", port, source_address=("127.0.0.2", 0))
    outsider.request("PURGE", "/en/", headers={"xkey-purge": "all"})
    assert outsider.getresponse().status == 405
    assert get(base + "/en/", method="PURGE")[0] == 400
    assert get(base + path)[1]["X-Cache"] == "HIT"


def test_unpublishing_returns_404_within_a_second(front, artifacts_dir):
    base, site = front
    path = seed_path(base)
    cached_at_the_front(base, path, "/en/", "/sitemap-articles.xml")

    change(site, "services.unpublish(article)")
    gone_after = within_a_second(base + path, lambda got: got[0] == 404)
    for url in ("/en/", "/sitemap-articles.xml"):
        within_a_second(base + url, lambda got: path not in got[2])
    (artifacts_dir / "timings.txt").write_text(
        f"404 through Varnish {gone_after:.4f} s after the unpublishing process returned\n"
    )


def test_grace_serves_the_page_while_gunicorn_is_stopped(tmp_path):
    with running_front(tmp_path, FRONT_CACHE_SECONDS="2") as (base, site):
        path = seed_path(base)
        status, _, page = get(base + path)
        assert status == 200
        site.stop_web()
        # Past the page's 2 s and the 10 s of grace a healthy backend allows: only the probe
        # finding gunicorn down lets Varnish serve it now.
        time.sleep(13)
        status, headers, stale = get(base + path)
        assert status == 200
        assert stale == page
        assert int(headers["Age"]) >= 12
