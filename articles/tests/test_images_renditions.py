"""Renditions: configured widths, never upscaled, WebP plus JPEG, encoded once and reused."""

from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage

from articles.images.renditions import build_renditions, rendition_widths
from articles.images.service import sync_renditions
from articles.images.testing import sample_picture
from articles.models import Article, Image


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def stored(name):
    with default_storage.open(name) as f:
        return PILImage.open(BytesIO(f.read()))


@pytest.mark.parametrize(
    ("width", "expected"),
    [(2400, [480, 960, 1600]), (1600, [480, 960, 1600]), (1200, [480, 960, 1200]), (300, [300])],
)
def test_widths_never_exceed_the_original(width, expected):
    assert rendition_widths(width) == expected


def test_widths_follow_the_setting(settings):
    settings.NEWSROOM_IMAGE_WIDTHS = [320, 640]
    assert rendition_widths(1000) == [320, 640]


def test_webp_and_jpeg_renditions_are_stored_at_each_width():
    record = build_renditions(sample_picture(2000, 1000))

    assert record["widths"] == [480, 960, 1600]
    for kind, pil_format in (("webp", "WEBP"), ("jpeg", "JPEG")):
        assert [(r["width"], r["height"]) for r in record[kind]] == [
            (480, 240),
            (960, 480),
            (1600, 800),
        ]
        for rendition in record[kind]:
            image = stored(rendition["name"])
            assert image.format == pil_format
            assert image.size == (rendition["width"], rendition["height"])


def test_renditions_are_encoded_once_and_reused(monkeypatch):
    data = sample_picture(1000, 500)
    first = build_renditions(data)
    saved = []
    monkeypatch.setattr(default_storage, "save", lambda name, content: saved.append(name))

    second = build_renditions(data)

    assert second == first
    assert saved == []


def test_transparent_png_keeps_alpha_in_webp_and_goes_onto_white_in_jpeg():
    picture = PILImage.new("RGBA", (600, 300), (255, 0, 0, 0))
    buffer = BytesIO()
    picture.save(buffer, "PNG")

    record = build_renditions(buffer.getvalue())

    assert stored(record["webp"][0]["name"]).mode == "RGBA"
    jpeg = stored(record["jpeg"][0]["name"])
    assert jpeg.mode == "RGB"
    assert jpeg.getpixel((10, 10)) == (255, 255, 255)


def test_exif_orientation_is_applied_and_metadata_dropped():
    picture = PILImage.open(BytesIO(sample_picture(800, 400)))
    exif = picture.getexif()
    exif[0x0112] = 6  # rotated 90°: the camera held upright
    exif[0x010F] = "Camera maker"
    buffer = BytesIO()
    picture.save(buffer, "JPEG", exif=exif)

    record = build_renditions(buffer.getvalue())

    assert record["upright_size"] == [400, 800]
    jpeg = stored(record["jpeg"][0]["name"])
    assert jpeg.size == (400, 800)
    assert not jpeg.getexif()


@pytest.mark.django_db
def test_uploaded_file_gets_renditions_and_a_cleared_file_loses_them():
    article = Article.objects.create(title="Story", slug="story")
    image = Image(article=article, alt_text="A hill")
    image.file.save("upload.png", ContentFile(sample_picture(700, 350, "PNG")))

    assert sync_renditions(image) is True
    assert sync_renditions(image) is False
    image.refresh_from_db()
    assert image.fetch_status == Image.FetchStatus.FETCHED
    assert [r["width"] for r in image.renditions["jpeg"]] == [480, 700]
    assert image.renditions["source"] == image.file.name

    image.file = ""
    image.save()
    assert sync_renditions(image) is True
    image.refresh_from_db()
    assert (image.renditions, image.fetch_status) == ({}, Image.FetchStatus.PENDING)
