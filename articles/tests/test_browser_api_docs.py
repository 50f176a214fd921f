"""The API docs page works in a real browser under the site's CSP, fetching nothing outside."""

import pytest


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_docs_page_renders_the_schema_from_our_own_files_under_csp(page, live_server):
    outside, refused = [], []
    page.on("console", lambda m: "Content Security Policy" in m.text and refused.append(m.text))

    def handle(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    page.route("**/*", handle)
    page.goto(live_server.url + "/api/v1/docs/")
    page.wait_for_selector(".opblock-summary-path", timeout=15000)
    assert page.locator(".info .title").first.inner_text().startswith("Newsroom Content API")
    assert "/api/v1/articles/" in page.locator(".opblock-summary-path").all_inner_texts()
    assert outside == []
    assert refused == []
