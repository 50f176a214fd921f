"""`{% picture_sources image as picture %}`: srcset strings for articles/_picture.html."""

from dataclasses import dataclass

from django import template
from django.core.files.storage import default_storage

register = template.Library()


@dataclass(frozen=True)
class PictureSources:
    webp_srcset: str
    jpeg_srcset: str
    src: str
    width: int
    height: int


@register.simple_tag
def picture_sources(image):
    """The image's renditions as srcset strings, or None when it has none yet."""
    renditions = (image.renditions or {}) if image else {}
    jpeg = renditions.get("jpeg") or []
    if not jpeg:
        return None
    largest = jpeg[-1]
    return PictureSources(
        webp_srcset=_srcset(renditions.get("webp") or []),
        jpeg_srcset=_srcset(jpeg),
        src=default_storage.url(largest["name"]),
        width=largest["width"],
        height=largest["height"],
    )


def _srcset(renditions):
    return ", ".join(f"{default_storage.url(r['name'])} {r['width']}w" for r in renditions)
