"""The reader site in headless Chromium: phone and desktop layouts, and an axe-core audit."""

import io
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image as PILImage

from articles.models import Article
from articles.tests.test_reader_pages import CORPUS, SEED, SEED_URL, import_published

WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}
BLOCKING_IMPACTS = {"serious", "critical"}


def placeholder_jpeg():
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 506), (120, 140, 160)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def offline_page(page, live_server):
    """The page with third-party pictures answered locally and every other outside request refused.

    The refused list proves axe-core (bundled with axe-playwright-python) fetches nothing.
    """
    picture = placeholder_jpeg()
    outside = []

    def handle(route):
        url = route.request.url
        if url.startswith(live_server.url):
            route.continue_()
        elif route.request.resource_type == "image":
            route.fulfill(body=picture, content_type="image/jpeg")
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", handle)
    page.outside_requests = outside
    return page


def audit(page):
    violations = Axe().run(page).response["violations"]
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]][:3])
        for v in violations
        if v["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_list_and_seed_pages_render_and_pass_axe(offline_page, live_server, artifacts_dir, width):
    paths = [SEED, CORPUS] if CORPUS.is_dir() else [SEED]
    import_published(*paths)
    seed = Article.objects.get(source_url=SEED_URL)
    page = offline_page
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))

    page.goto(live_server.url + "/en/")
    assert page.locator("article.card").count() >= (20 if CORPUS.is_dir() else 1)
    page.screenshot(path=artifacts_dir / f"list-{width}.png", full_page=False)
    assert audit(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]

    page.goto(live_server.url + seed.get_absolute_url())
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == seed.title
    assert page.locator(".story-body > p").count() == 20
    lead = page.locator(".lead-figure img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=lead.element_handle())
    box = lead.bounding_box()
    assert box["width"] <= WIDTHS[width][0]
    page.screenshot(path=artifacts_dir / f"seed-{width}.png", full_page=False)
    page.screenshot(path=artifacts_dir / f"seed-{width}-full.png", full_page=True)
    assert audit(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]

    page.goto(live_server.url + "/en/search/?q=人工智能")
    assert page.locator("article.card").count() >= 1
    assert audit(page) == []

    page.goto(live_server.url + "/no-such-page/")
    page.screenshot(path=artifacts_dir / f"not-found-{width}.png", full_page=False)
    assert audit(page) == []
    assert not [u for u in page.outside_requests if urlsplit(u).scheme in ("http", "https")]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_dark_mode_and_print_styles_apply(offline_page, live_server, artifacts_dir):
    import_published(SEED)
    seed = Article.objects.get(source_url=SEED_URL)
    page = offline_page
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + seed.get_absolute_url())
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(18, 18, 18)"
    page.screenshot(path=artifacts_dir / "seed-dark.png", full_page=False)
    assert audit(page) == []
    page.emulate_media(media="print", color_scheme="light")
    assert page.locator(".search-form").is_hidden()
    assert page.locator(".site-footer").is_hidden()
    line_height = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.story-body p')).lineHeight)"
        " / parseFloat(getComputedStyle(document.querySelector('.story-body p')).fontSize)"
    )
    assert line_height >= 1.5
