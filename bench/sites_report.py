"""Import the real archive files under var/real/<site>/ into a scratch database and report.

    python bench/sites_report.py [ROOT] [--screenshots]

Prints one row per site: files, imported, dates read from the body (not the capture-time
fallback), days only (the body gives a day: the capture time on that day, else noon UTC),
bylines, lead pictures, and articles whose stored body still holds boilerplate (should be 0).
With --screenshots, serves the scratch database and saves one article page per site to
var/screenshots/<site>.png with Debian's chromium (third-party pictures are answered with a
local placeholder: the machine may be offline, and the page must not depend on it).
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

BENCH = Path(__file__).resolve().parent
PROJECT = BENCH.parent
sys.path[:0] = [str(PROJECT)]

VAR = PROJECT / "var"
DATABASE = VAR / "sites-report.sqlite3"
SCREENSHOTS = VAR / "screenshots"
# What must never survive into a stored body; each pattern names one kind of boilerplate.
BOILERPLATE = {
    "share widget": r"addtoany|a2a_|data-root-share|share-button|分享\s*[:：]",
    "promo": r"selfpromo|DW中文有|向我们投稿|征稿说明|欢迎读者访问\s*<a",
    "copyright footer": r"版权声明|版權聲明|©\s*\d{4}",
    "relay footer": r"feedx|获取更多RSS",
    "English-version link": r"(查看|阅读|閱讀)本文英文版|English version|阅读\s*<a[^>]*>英文原文",
    # A relative time is a line of its own ("19 分钟前"); "10天前" inside a sentence is text.
    "relative time": r">\s*(最近更新\s*[:：]\s*)?\d+\s*(分钟|小时|天)前\s*<",
    # DW's internal article API (api.dw.com/api/detail/…); its picture server is not.
    "internal API link": r"api\.dw\.com/api/",
    "zoom icon": r"icon-zoom|zoomattribute|\+\+plone\+\+",
    "archive card": r"档案卡",
    # RFA's "责编：甲" / "责编 甲" line; "主编、责编和校对" in a sentence is text.
    "credit line": r"(责编|責編)(\s*[:：]|\s+\S)",
    "divider image": r"grey_line",
    "ad slot": r"advertisement|dotcom-ad",
    "player fallback": r"不支持播放多媒体",
    "related-story line": r"<p>\s*(延伸|延申)(阅读|閱讀)\s*[:：]",
    "lazy placeholder": r"data:image/",
}
FALLBACK = "used the capture time instead"
DAY_ONLY = "has no time of day;"  # a day from the body, its time the capture's or noon UTC


def setup_django():
    os.environ["DATABASE_URL"] = f"sqlite:///{DATABASE}"
    os.environ.setdefault("DEBUG", "True")
    os.environ["DJANGO_SETTINGS_MODULE"] = "newsroom.settings"
    import django

    django.setup()


def import_sites(root):
    from django.core.management import call_command

    from articles.ingest.service import CREATED, ImportOptions, import_file
    from articles.models import Article

    DATABASE.unlink(missing_ok=True)
    call_command("migrate", verbosity=0)
    rows, slugs, failures = [], {}, []
    for site_dir in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        counts = Counter()
        for path in sorted(site_dir.glob("*.md")):
            counts["files"] += 1
            outcome = import_file(path, ImportOptions(publish=True))
            if outcome.outcome != CREATED:
                failures.append(f"{path}: {outcome.outcome} {outcome.line}: {outcome.reason}")
                continue
            article = Article.objects.get(pk=outcome.article_id)
            counts["imported"] += 1
            day_only = any(DAY_ONLY in w for w in outcome.warnings)
            fallback = any(FALLBACK in w for w in outcome.warnings)
            counts["dates from body"] += not (fallback or day_only)
            counts["days only"] += day_only
            counts["bylines"] += bool(article.byline)
            counts["lead pictures"] += article.lead_image is not None
            left = [k for k, pattern in BOILERPLATE.items() if re.search(pattern, article.body)]
            if left:
                counts["boilerplate left"] += 1
                failures.append(f"{path}: boilerplate left: {', '.join(left)}")
            # The page shown for the site: one with a byline and a lead picture when there is one.
            score = bool(article.byline) + (article.lead_image is not None)
            if score > slugs.get(site_dir.name, ("", -1))[1]:
                slugs[site_dir.name] = (article.slug, score)
        rows.append((site_dir.name, counts))
    return rows, {site: slug for site, (slug, _) in slugs.items()}, failures


def print_table(rows):
    columns = ["files", "imported", "dates from body", "days only", "bylines", "lead pictures"]
    columns.append("boilerplate left")
    print("| site | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    total = Counter()
    for site, counts in rows:
        total.update(counts)
        print(f"| {site} | " + " | ".join(str(counts[c]) for c in columns) + " |")
    print("| all | " + " | ".join(str(total[c]) for c in columns) + " |")


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def screenshots(slugs):
    """One reader page per site, through a real server and Debian's chromium."""
    from playwright.sync_api import sync_playwright

    from conftest import CHROMIUM_ARGS

    port = free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{DATABASE}", "DEBUG": "True"}
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=PROJECT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    saved = []
    try:
        _wait_for(base)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.route("**/*", lambda route: _local_only(route, base))
            for site, slug in sorted(slugs.items()):
                page.goto(f"{base}/articles/{slug}/", wait_until="load")
                path = SCREENSHOTS / f"{site}.png"
                page.screenshot(path=str(path), full_page=False)
                saved.append((path, slug))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    return saved


def _wait_for(base):
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {base} did not start")


PLACEHOLDER_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="675">'
    '<rect width="100%" height="100%" fill="#c9ced6"/>'
    '<text x="50%" y="50%" font-size="40" text-anchor="middle" fill="#4a4f57">'
    "third-party picture (offline placeholder)</text></svg>"
)


def _local_only(route, base):
    if route.request.url.startswith(base):
        route.continue_()
    elif route.request.resource_type == "image":
        route.fulfill(body=PLACEHOLDER_SVG, content_type="image/svg+xml")
    else:
        route.abort()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=str(VAR / "real"))
    parser.add_argument("--screenshots", action="store_true")
    args = parser.parse_args()
    setup_django()
    rows, slugs, failures = import_sites(args.root)
    print_table(rows)
    for line in failures:
        print(line)
    if args.screenshots:
        for path, slug in screenshots(slugs):
            print(f"screenshot: {path.relative_to(PROJECT)} (/articles/{slug}/)")


if __name__ == "__main__":
    main()
