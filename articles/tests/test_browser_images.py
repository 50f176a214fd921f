"""The seed's page in headless Chromium, its lead picture served from our media storage."""

import pytest
from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from articles.images.service import fetch_images
from articles.images.testing import loopback_image_server, sample_picture
from articles.models import Image
from articles.tests.editorial import import_seed
from newsroom.urls import urlpatterns as site_urlpatterns


def media(request, path):
    """Media as a production web server would serve it (Django serves it only with DEBUG)."""
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]


@pytest.mark.browser
@pytest.mark.urls(__name__)
@pytest.mark.django_db(transaction=True)
def test_seed_page_serves_its_lead_image_from_media_with_srcset(
    page, live_server, artifacts_dir, settings, monkeypatch, tmp_path
):
    article = import_seed()
    with loopback_image_server(settings, monkeypatch, tmp_path / "media") as server:
        article.images.update(original_url=server.serve("/lead.jpg", sample_picture(1800, 1200)))
        summary = fetch_images(Image.objects.filter(article=article))
    assert (summary.fetched, summary.failed) == (1, 0)

    page.goto(live_server.url + article.get_absolute_url())
    lead = page.locator(".lead-figure picture img")
    lead.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=lead.element_handle())

    webp_srcset = page.locator(".lead-figure picture source[type='image/webp']").get_attribute(
        "srcset"
    )
    assert [entry.split()[1] for entry in webp_srcset.split(", ")] == ["480w", "960w", "1600w"]
    current = lead.evaluate("img => img.currentSrc")
    assert current.startswith(live_server.url + "/media/renditions/")
    # sizes says 46rem (736 px) at this viewport: the 960 px WebP is the smallest that fills it.
    assert current.endswith("/960.webp")
    assert lead.get_attribute("srcset").count(".jpg") == 3
    assert (lead.get_attribute("width"), lead.get_attribute("height")) == ("1600", "1067")
    box = lead.bounding_box()
    assert abs(box["height"] - box["width"] * 1067 / 1600) < 1
    assert "gdb.voanews.com" not in page.content()
    page.screenshot(path=artifacts_dir / "seed-detail-lead-image.png", full_page=False)
