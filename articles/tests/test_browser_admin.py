"""An editor's day in a real browser: find the seed, fix MNodi in TinyMCE, save, publish, read."""

import pytest

from articles.models import Article
from articles.tests.editorial import PASSWORD, import_seed, make_editor, reimport_changed

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page, base_url):
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#user-tools")


def wait_for_editor(page):
    # A predicate string would need eval(), which the admin's policy rightly forbids.
    page.wait_for_selector("#id_body_ifr")
    page.frame_locator("#id_body_ifr").locator("body p").first.wait_for()
    assert page.evaluate("() => tinymce.get('id_body').initialized")


def csp_violations(page):
    """Collect the browser's console reports of Content-Security-Policy violations."""
    reports = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return reports


def test_editor_fixes_the_typo_in_tinymce_and_publishes(page, live_server, artifacts_dir):
    article = import_seed(publish=False)
    assert "MNodi" in article.body
    make_editor()
    violations = csp_violations(page)
    log_in(page, live_server.url)

    page.goto(live_server.url + "/admin/articles/article/")
    page.fill("#searchbar", "人工智能")
    page.press("#searchbar", "Enter")
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 1
    page.screenshot(path=artifacts_dir / "1-search.png", full_page=True)
    rows.first.locator("th a").click()

    wait_for_editor(page)
    # The editor's iframe shows the article text, typo included.
    frame = page.frame_locator("#id_body_ifr")
    assert "MNodi" in frame.locator("body").inner_text()
    page.screenshot(path=artifacts_dir / "2-change-page.png", full_page=True)
    page.evaluate(
        """() => {
            const editor = tinymce.get('id_body');
            editor.setContent(editor.getContent().replace('MNodi', 'Modi'));
        }"""
    )
    assert "MNodi" not in frame.locator("body").inner_text()
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist .success")
    page.screenshot(path=artifacts_dir / "3-saved.png", full_page=True)
    article.refresh_from_db()
    assert "MNodi" not in article.body and "Narendra Modi" in article.body

    page.click("a.historylink")
    page.wait_for_selector("#change-history")
    latest = page.locator("#change-history tbody tr").first.inner_text()
    assert "editor" in latest
    page.screenshot(path=artifacts_dir / "4-history.png", full_page=True)

    page.goto(live_server.url + "/admin/articles/article/")
    page.check(f"input[name=_selected_action][value='{article.pk}']")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_selector(".messagelist .success")

    page.goto(live_server.url + article.get_absolute_url())
    text = page.locator("article").inner_text()
    assert "Narendra Modi" in text and "MNodi" not in text
    page.screenshot(path=artifacts_dir / "5-public-page.png", full_page=True)
    assert Article.objects.published().filter(pk=article.pk).exists()
    assert violations == []


def test_conflict_view_in_the_browser(page, live_server, artifacts_dir, tmp_path):
    article = import_seed()
    make_editor()
    article.dateline = "华盛顿（编辑）"
    article.save()
    reimport_changed(tmp_path, "美中竞争较量惹关注", "美中竞争较量引关注")
    violations = csp_violations(page)
    log_in(page, live_server.url)
    page.goto(live_server.url + f"/admin/articles/article/{article.pk}/change/")
    wait_for_editor(page)
    panel = page.locator(".newsroom-conflict")
    assert "An incoming version is waiting" in panel.inner_text()
    assert panel.locator("ins").first.inner_text() == "引"
    page.screenshot(path=artifacts_dir / "conflict.png", full_page=True)
    page.click("text=Accept incoming version")
    page.wait_for_selector(".messagelist .success")
    article.refresh_from_db()
    assert article.title.endswith("引关注") and article.pending_import is None
    assert violations == []
