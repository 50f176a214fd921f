"""Resized copies of a picture for `srcset`: WebP for browsers that take it, JPEG for the rest.

Files are named after the original's SHA-256 and the width, so a rendition is encoded once
and found again in media storage by any later run (or any image with the same bytes).
Widths come from NEWSROOM_IMAGE_WIDTHS and never exceed the original: no upscaling.
"""

import hashlib
import math
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image as PILImage
from PIL import ImageOps

from articles.images.validation import open_image

ENCODINGS = {
    "webp": ("WEBP", {"quality": 80, "method": 4}),
    "jpeg": ("JPEG", {"quality": 82, "optimize": True, "progressive": True}),
}
EXTENSIONS = {"webp": "webp", "jpeg": "jpg"}
SWAPPED_ORIENTATIONS = frozenset({5, 6, 7, 8})
TRANSPARENT_MODES = frozenset({"RGBA", "LA", "PA", "RGBa", "La"})


@dataclass(frozen=True)
class Planned:
    kind: str
    width: int
    height: int
    name: str

    def as_dict(self):
        return {"width": self.width, "height": self.height, "name": self.name}


def rendition_widths(original_width):
    """The configured widths below the original, topped by the original's own when smaller."""
    widths = sorted(set(settings.NEWSROOM_IMAGE_WIDTHS))
    chosen = [w for w in widths if w < original_width]
    if original_width <= widths[-1]:
        chosen.append(original_width)
    return chosen


def build_renditions(data, storage=None):
    """Store any missing renditions of `data`; return their record for `Image.renditions`."""
    storage = storage or default_storage
    digest = hashlib.sha256(data).hexdigest()
    with open_image(data) as source:
        orientation = source.getexif().get(0x0112, 1)
        width, height = source.size
        if orientation in SWAPPED_ORIENTATIONS:
            width, height = height, width
        plan = [
            Planned(
                kind,
                w,
                max(1, round(height * w / width)),
                f"renditions/{digest[:2]}/{digest[:20]}/{w}.{EXTENSIONS[kind]}",
            )
            for kind in ENCODINGS
            for w in rendition_widths(width)
        ]
        missing = [p for p in plan if not storage.exists(p.name)]
        if missing:
            scale = max(p.width for p in missing) / width
            source.draft("RGB", (math.ceil(source.width * scale), math.ceil(source.height * scale)))
            upright = ImageOps.exif_transpose(source)
            prepared = {kind: _flatten(upright, keep_alpha=kind == "webp") for kind in ENCODINGS}
            for planned in missing:
                storage.save(planned.name, ContentFile(_encode(prepared[planned.kind], planned)))
    record = {
        "digest": digest,
        "upright_size": [width, height],
        "widths": sorted({p.width for p in plan}),
    }
    for kind in ENCODINGS:
        record[kind] = [p.as_dict() for p in plan if p.kind == kind]
    return record


def _encode(image, planned):
    resized = image.resize(
        (planned.width, planned.height), PILImage.Resampling.LANCZOS, reducing_gap=3.0
    )
    pil_format, options = ENCODINGS[planned.kind]
    buffer = BytesIO()
    resized.save(buffer, pil_format, **options)
    return buffer.getvalue()


def _flatten(image, keep_alpha):
    """RGB (or RGBA for WebP); JPEG has no alpha, so transparency goes onto white."""
    has_alpha = image.mode in TRANSPARENT_MODES or "transparency" in image.info
    if not has_alpha:
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    if keep_alpha:
        return rgba
    background = PILImage.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background
