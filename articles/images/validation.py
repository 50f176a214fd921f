"""Decide whether bytes are a picture we keep, before anything decodes them in full.

Pillow is only offered the four accepted formats (exotic decoders never see hostile bytes),
the declared size is checked against a pixel cap before decoding (a small file can declare
a huge canvas), and then the whole image is verified and decoded once.
"""

import struct
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

from articles.images.errors import InvalidImage

FORMAT_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
ACCEPTED = "JPEG, PNG, WebP or GIF"


@dataclass(frozen=True)
class ImageInfo:
    format: str
    width: int
    height: int

    @property
    def extension(self):
        return FORMAT_EXTENSIONS[self.format]


def open_image(data):
    """A lazily decoded Pillow image limited to the accepted formats."""
    try:
        return PILImage.open(BytesIO(data), formats=tuple(FORMAT_EXTENSIONS))
    except UnidentifiedImageError as exc:
        raise InvalidImage(f"not a {ACCEPTED} image") from exc
    except PILImage.DecompressionBombError as exc:
        raise InvalidImage(f"too many pixels: {exc}") from exc


def inspect_image(data):
    """The image's format and size, or InvalidImage saying why it is refused."""
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    with open_image(data) as image:
        info = ImageInfo(image.format, *image.size)
        if info.width * info.height > max_pixels:
            raise InvalidImage(
                f"too many pixels: {info.width}×{info.height} is over the limit of {max_pixels}"
            )
        try:
            image.verify()
        except (OSError, SyntaxError, ValueError, struct.error) as exc:
            raise InvalidImage(f"damaged {info.format} image: {exc}") from exc
    with open_image(data) as image:
        try:
            image.load()
        except (OSError, SyntaxError, ValueError, struct.error, EOFError) as exc:
            raise InvalidImage(f"damaged {info.format} image: {exc}") from exc
    return info


def validate_image_upload(upload):
    """Form validator: an editor's upload meets the same rules as a fetched picture."""
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise ValidationError(
            "The file is %(size)d bytes; the limit is %(limit)d.",
            code="too_large",
            params={"size": upload.size, "limit": max_bytes},
        )
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    try:
        inspect_image(data)
    except InvalidImage as exc:
        raise ValidationError(exc.reason, code="invalid_image") from exc
