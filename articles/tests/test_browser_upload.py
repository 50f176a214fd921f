"""An editor uploads a zip of three files, one broken, and reads the import's outcome."""

import pytest

from articles.tests.editorial import make_editor
from articles.tests.test_browser_admin import log_in
from articles.tests.test_upload_import import three_file_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_uploads_a_zip_and_sees_the_summary_and_the_broken_files_reason(
    page, live_server, settings, tmp_path, artifacts_dir
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    archive = tmp_path / "feed.zip"
    archive.write_bytes(three_file_zip())
    make_editor()
    log_in(page, live_server.url)

    page.goto(live_server.url + "/admin/")
    page.click("text=Upload imports")
    page.click("text=Add upload import")
    page.set_input_files("#id_files", str(archive))
    page.screenshot(path=artifacts_dir / "1-upload.png", full_page=True)
    page.click("input[name=_save]")

    page.wait_for_selector("table.import-report")
    page.screenshot(path=artifacts_dir / "2-report.png", full_page=True)
    text = page.inner_text("#content")
    assert "created 2, updated 0, unchanged 0, conflicts 0, failed 1" in text
    assert "3 of 3 files" in text
    broken = page.locator("tr.outcome-failed")
    assert broken.count() == 1
    assert "feed.zip/feed/broken.txt" in broken.inner_text()
    assert "line 1: capture time 'yesterday' is not epoch milliseconds" in broken.inner_text()

    page.goto(live_server.url + "/admin/")
    page.screenshot(path=artifacts_dir / "3-dashboard.png", full_page=True)
    assert "Came in today: 2" in page.inner_text(".newsroom-dashboard")
