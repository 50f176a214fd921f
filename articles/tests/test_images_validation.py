"""Bytes become a stored picture only if they are a sane JPEG, PNG, WebP or GIF."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.images.errors import InvalidImage
from articles.images.testing import pixel_bomb_png, sample_picture
from articles.images.validation import inspect_image, validate_image_upload


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "GIF"])
def test_accepted_formats_report_their_size(fmt):
    info = inspect_image(sample_picture(320, 200, fmt))
    assert (info.format, info.width, info.height) == (fmt, 320, 200)


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
def test_other_formats_are_refused(fmt):
    with pytest.raises(InvalidImage, match="not a JPEG, PNG, WebP or GIF image"):
        inspect_image(sample_picture(64, 64, fmt))


@pytest.mark.parametrize(
    "data", [b"", b"<svg xmlns='http://www.w3.org/2000/svg'/>", b"%PDF-1.7\n", b"\x00" * 500]
)
def test_non_images_are_refused(data):
    with pytest.raises(InvalidImage):
        inspect_image(data)


def test_pixel_bomb_beyond_pillows_own_limit_is_refused():
    with pytest.raises(InvalidImage, match="too many pixels"):
        inspect_image(pixel_bomb_png(100_000, 100_000))


def test_pixel_cap_is_checked_before_decoding():
    """8000×8000 is under Pillow's default bomb limit but over ours; the data is 3 lines."""
    with pytest.raises(InvalidImage, match="8000×8000 is over the limit of 40000000"):
        inspect_image(pixel_bomb_png(8000, 8000))


def test_pixel_cap_follows_the_setting(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 10_000
    with pytest.raises(InvalidImage, match="too many pixels"):
        inspect_image(sample_picture(200, 100))


def test_truncated_image_is_refused():
    data = sample_picture(800, 600, "PNG")
    with pytest.raises(InvalidImage, match="damaged PNG image"):
        inspect_image(data[: len(data) // 2])


def test_upload_validator_accepts_a_real_picture():
    validate_image_upload(SimpleUploadedFile("photo.jpg", sample_picture(300, 200)))


def test_upload_validator_refuses_a_disguised_file():
    upload = SimpleUploadedFile("photo.jpg", b"<?php system($_GET['c']); ?>")
    with pytest.raises(ValidationError, match="not a JPEG, PNG, WebP or GIF image"):
        validate_image_upload(upload)


def test_upload_validator_refuses_a_file_over_the_size_cap(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
    upload = SimpleUploadedFile("photo.jpg", sample_picture(300, 200))
    with pytest.raises(ValidationError) as caught:
        validate_image_upload(upload)
    assert caught.value.code == "too_large"
