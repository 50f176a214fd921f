"""Give an Image our own copy: fetch (or take an upload), validate, store, make renditions.

Called alike by `import_articles --fetch-images`, the admin action and the admin upload.
A failure is recorded on the image (`fetch_status`, `fetch_error`) and never touches the
article; only images still pending or failed are fetched again.
"""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile

from articles.images.errors import ImageError
from articles.images.fetching import fetch
from articles.images.renditions import build_renditions, rendition_widths
from articles.images.validation import inspect_image
from articles.models import Image

STORED_FIELDS = ["file", "width", "height", "renditions", "fetch_status", "fetch_error"]


@dataclass
class FetchSummary:
    fetched: int = 0
    failed: int = 0
    failures: list = field(default_factory=list)

    def add(self, image, reason):
        if reason is None:
            self.fetched += 1
        else:
            self.failed += 1
            self.failures.append((image, reason))

    def __str__(self):
        return f"images: fetched {self.fetched}, failed {self.failed}"


def images_to_fetch(images):
    """Those with an original URL and no copy yet: pending or failed, never an editor's upload."""
    return (
        images.exclude(fetch_status=Image.FetchStatus.FETCHED)
        .filter(file="")
        .exclude(original_url="")
    )


def fetch_images(images):
    """Fetch every image of the queryset that still needs it; one image at a time."""
    summary = FetchSummary()
    for image in images_to_fetch(images).order_by("pk").iterator():
        summary.add(image, fetch_image(image))
    return summary


def fetch_image(image):
    """Fetch one image into media storage; returns None, or the reason it failed."""
    try:
        data = fetch(image.original_url).data
        info = inspect_image(data)
        renditions = build_renditions(data)
    except ImageError as exc:
        image.fetch_status = Image.FetchStatus.FAILED
        image.fetch_error = exc.reason[:500]
        image._change_reason = "image fetch failed"
        image.save(update_fields=["fetch_status", "fetch_error"])
        return exc.reason
    image.file.save(f"{renditions['digest'][:20]}.{info.extension}", ContentFile(data), save=False)
    _record(image, info, renditions)
    image._change_reason = f"image fetched from {image.original_url}"
    image.save(update_fields=STORED_FIELDS)
    return None


def sync_renditions(image):
    """Match renditions to the image's stored file (an upload, a cleared file); True if changed."""
    if not image.file:
        if not image.renditions:
            return False
        image.renditions, image.width, image.height = {}, None, None
        image.fetch_status = Image.FetchStatus.PENDING
        image._change_reason = "stored file removed"
        image.save(update_fields=STORED_FIELDS)
        return True
    if _renditions_current(image):
        return False
    with image.file.open("rb") as stored:
        data = stored.read()
    info = inspect_image(data)
    _record(image, info, build_renditions(data))
    image._change_reason = "renditions made for the uploaded file"
    image.save(update_fields=STORED_FIELDS)
    return True


def _renditions_current(image):
    """Made from this very file, at the widths the settings ask for today."""
    r = image.renditions or {}
    size = r.get("upright_size")
    return (
        r.get("source") == image.file.name
        and size is not None
        and r.get("widths") == rendition_widths(size[0])
    )


def _record(image, info, renditions):
    image.renditions = {**renditions, "source": image.file.name}
    image.width, image.height = info.width, info.height
    image.fetch_status = Image.FetchStatus.FETCHED
    image.fetch_error = ""
