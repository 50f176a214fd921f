"""The seed article in Simplified and Traditional with Chinese chrome, and the Persian list right to
left, in headless Chromium at phone and desktop widths, each passing axe-core."""

import pytest

from articles import languages
from articles.models import Article
from articles.tests import test_browser_reader
from articles.tests.test_browser_reader import WIDTHS, audit
from articles.tests.test_reader_pages import SEED, SEED_URL, import_published, make_article

# Third-party pictures answered locally, every other outside request refused.
offline_page = test_browser_reader.offline_page


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", WIDTHS)
def test_seed_in_both_scripts_and_persian_list_render_and_pass_axe(
    offline_page, live_server, artifacts_dir, width
):
    import_published(SEED)
    seed = Article.objects.get(source_url=SEED_URL)
    for title, body in [
        ("گزارش تازه از تهران", "<p>خبرنگاران از وضعیت شهر گزارش می‌دهند.</p>"),
        ("نشست هوش مصنوعی در پاریس", "<p>رهبران جهان در پاریس گرد هم می‌آیند.</p>"),
    ]:
        make_article(title=title, body=body, language="fa", source_name="Radio Farda")
    page = offline_page
    page.set_viewport_size(dict(zip(("width", "height"), WIDTHS[width], strict=True)))

    for script, title, search in [
        ("zh-hans", "巴黎人工智能行动峰会在即，美中竞争较量惹关注", "搜索"),
        ("zh-hant", "巴黎人工智能行動峰會在即，美中競爭較量惹關注", "搜尋"),
    ]:
        page.goto(live_server.url + seed.get_script_url(script))
        assert page.locator("html").get_attribute("lang") == languages.tag(script)
        assert page.locator("h1").inner_text() == title
        assert page.locator(".search-form button").inner_text() == search
        assert page.locator(".story-body > p").count() == 20
        page.screenshot(path=artifacts_dir / f"seed-{script}-{width}.png", full_page=False)
        assert audit(page) == []
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]

    page.goto(live_server.url + "/fa/languages/fa/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("h1").evaluate("h => getComputedStyle(h).direction") == "rtl"
    header = page.locator(".site-name").bounding_box()
    assert header["x"] + header["width"] > WIDTHS[width][0] / 2  # the site's name starts right
    page.screenshot(path=artifacts_dir / f"persian-list-{width}.png", full_page=False)
    assert audit(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS[width][0]
