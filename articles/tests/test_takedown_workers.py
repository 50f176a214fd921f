"""A takedown reaches every worker at once: two gunicorn workers sharing Redis, as in production.

The site runs as `make serve` runs it (DEBUG off, the page cache on for ten minutes, so only
invalidation, never expiry, can make a page fresh), on its own SQLite file and a private
redis-server. The change is made by a third process, as an editor's request on another worker
or a management command would make it.
"""

import json
import time

import pytest

from articles.tests.live_site import get, running_site

READER_URLS = [
    "/en/",
    "/feeds/rss.xml",
    "/feeds/feed.json",
    "/sitemap-articles.xml",
    "/en/search/?q=%E5%B7%B4%E9%BB%8E",  # 巴黎
]


@pytest.fixture
def site(tmp_path):
    with running_site(tmp_path) as site:
        yield site


def seed_slug(base):
    status, _, page = get(base + "/en/")
    assert status == 200
    return page.split('href="/zh-hans/articles/', 1)[1].split("/", 1)[0]


@pytest.mark.parametrize("change", ["unpublish", "delete"])
def test_a_takedown_is_gone_from_every_worker_at_once(site, change, artifacts_dir):
    base = site.base
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
    site.manage("shell", "-c", code)
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
