"""articles/_picture.html: our renditions with srcset when fetched, the original otherwise."""

import re

import pytest
from django.template.loader import render_to_string

from articles.images.renditions import build_renditions
from articles.images.testing import sample_picture
from articles.models import Image


@pytest.fixture
def fetched_image(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    renditions = build_renditions(sample_picture(1800, 1200))
    return Image(
        original_url="https://gdb.voanews.com/abc_w900.jpg",
        renditions=renditions,
        width=1800,
        height=1200,
        fetch_status=Image.FetchStatus.FETCHED,
        alt_text='Delegates "at" <the> summit',
        caption="Caption",
    )


def render(image, **context):
    return render_to_string("articles/_picture.html", {"image": image, **context})


def test_fetched_image_renders_a_picture_with_webp_and_jpeg_srcsets(fetched_image):
    html = render(fetched_image, sizes="(min-width: 60rem) 48rem, 100vw", eager=True)

    digest = fetched_image.renditions["digest"][:20]
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', html)
    assert source.group(1) == ", ".join(
        f"/media/renditions/{digest[:2]}/{digest}/{w}.webp {w}w" for w in (480, 960, 1600)
    )
    assert source.group(2) == "(min-width: 60rem) 48rem, 100vw"
    img = re.search(r"<img [^>]+>", html).group(0)
    assert f'src="/media/renditions/{digest[:2]}/{digest}/1600.jpg"' in img
    assert f"/media/renditions/{digest[:2]}/{digest}/480.jpg 480w" in img
    assert 'width="1600" height="1067"' in img
    assert 'fetchpriority="high"' in img
    assert "gdb.voanews.com" not in html


def test_alt_text_is_escaped(fetched_image):
    assert 'alt="Delegates &quot;at&quot; &lt;the&gt; summit"' in render(fetched_image)


def test_sizes_default_to_the_viewport_and_loading_is_lazy(fetched_image):
    html = render(fetched_image)
    assert 'sizes="100vw"' in html
    assert 'loading="lazy"' in html


def test_unfetched_image_falls_back_to_the_original_without_referrer():
    image = Image(original_url="https://gdb.voanews.com/abc_w900.jpg", caption="At the summit")
    html = render(image)
    assert "<picture>" not in html
    assert 'src="https://gdb.voanews.com/abc_w900.jpg"' in html
    assert 'referrerpolicy="no-referrer"' in html
    assert 'alt="At the summit"' in html


def test_image_without_url_or_copy_renders_nothing():
    assert render(Image()).strip() == ""
