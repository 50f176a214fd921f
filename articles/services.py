"""Editorial rules shared by the desk, the importer (and later the API and tasks).

Publishing, unpublishing, and what happens when an imported version becomes the article's
text: plain functions over the models, so every caller gets the same rule.
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from articles import audit
from articles.models import Article, Image

Event = audit.Event
# The editorial fields an import sets, and an image's: what `imported_values` records.
IMPORTED_FIELDS = (
    "title",
    "dateline",
    "byline",
    "body",
    "published_at",
    "language",
    "source_name",
)
IMPORTED_IMAGE_FIELDS = ("role", "original_url", "caption", "credit", "alt_text")


def mark_published(article):
    """Make `article` public at its publish time, or now when it has none (not saved)."""
    article.status = Article.Status.PUBLISHED
    if article.published_at is None:
        article.published_at = timezone.now()


def publish(article, user=None, *, detail=""):
    """Publish and save; a future publish time schedules the article instead."""
    mark_published(article)
    article._change_reason = Event.PUBLISHED.label
    article.save()
    audit.record(Event.PUBLISHED, article, user, detail=detail)


def unpublish(article, user=None, *, detail=""):
    """Take the article off the public site (back to draft) and save."""
    article.status = Article.Status.DRAFT
    article._change_reason = Event.UNPUBLISHED.label
    article.save()
    audit.record(Event.UNPUBLISHED, article, user, detail=detail)


def unique_slug(base, source_id="", *, taken=frozenset()):
    """`base`, or the first free variant of it (with the publisher's id, then a number).

    Free means neither stored nor in `taken` (slugs the caller is about to use).
    """
    candidates = _slug_candidates(base, source_id)
    taken = {*taken, *Article.objects.filter(slug__in=candidates).values_list("slug", flat=True)}
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    raise IntegrityError(f"no free slug for {base}")


def unique_slugs(requests):
    """A distinct free slug for each (base, source_id): one query unless the first two
    variants of a base are taken."""
    candidates = [_slug_candidates(base, source_id)[:2] for base, source_id in requests]
    wanted = {slug for pair in candidates for slug in pair}
    taken = set(Article.objects.filter(slug__in=wanted).values_list("slug", flat=True))
    slugs = []
    for (base, source_id), pair in zip(requests, candidates, strict=True):
        slug = next((c for c in pair if c not in taken), None)
        slug = slug or unique_slug(base, source_id, taken=taken)
        taken.add(slug)
        slugs.append(slug)
    return slugs


def _slug_candidates(base, source_id):
    candidates = [base]
    if source_id and not base.endswith(source_id):
        candidates.append(f"{base[:100]}-{source_id}")
    return candidates + [f"{base[:100]}-{n}" for n in range(2, 100)]


def current_values(article):
    """The article's editorial fields now, comparable with what was last imported."""
    values = {name: getattr(article, name) for name in IMPORTED_FIELDS}
    values["published_at"] = article.published_at.isoformat() if article.published_at else None
    values["images"] = [
        {name: getattr(image, name) for name in IMPORTED_IMAGE_FIELDS}
        for image in article.images.all()
    ]
    return values


def edited_since_import(article):
    """Whether anyone changed the article's editorial fields since its last import.

    A baseline written before a field existed (byline, added after the first imports) lacks
    it: that field counts as unedited while it still holds its empty default.
    """
    baseline = article.imported_values or {}
    for name, value in current_values(article).items():
        if name == "images":
            value = [_image_values(image) for image in value]
            expected = [_image_values(image) for image in baseline.get("images", [])]
        else:
            expected = baseline.get(name, "")
        if value != expected and not (name not in baseline and value in ("", None)):
            return True
    return False


def _image_values(image):
    return {name: image.get(name, "") for name in IMPORTED_IMAGE_FIELDS}


def apply_import(article, values, *, file_name, content_hash, captured_at):
    """Make `values` (an import's editorial fields) the article's text and its import baseline.

    Not saved; call `replace_images()` after saving.
    """
    for name in IMPORTED_FIELDS:
        setattr(article, name, values[name])
    article.published_at = parse_datetime(values["published_at"] or "")
    article.captured_at = captured_at or article.captured_at
    article.import_file_name = file_name[-500:]
    article.import_hash = content_hash
    article.imported_at = timezone.now()
    article.imported_values = values
    article.pending_import = None


def replace_images(article, images, *, new=False):
    """Make the article's images match the imported list, keeping rows (and fetched files)."""
    existing = {} if new else {image.original_url: image for image in article.images.all()}
    keep = set()
    for position, values in enumerate(images):
        image = existing.get(values["original_url"]) or Image(article=article)
        if image.pk in keep:
            image = Image(article=article)
        for name in IMPORTED_IMAGE_FIELDS:
            setattr(image, name, values[name])
        image.position = position
        image.save()
        keep.add(image.pk)
    if not new:
        article.images.exclude(pk__in=keep).delete()


class NoPendingImport(Exception):
    """The article has no incoming version waiting (someone else accepted or dismissed it)."""


def _pending_for_update(article):
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if not locked.pending_import:
        raise NoPendingImport(f"article {article.pk} has no incoming version waiting")
    return locked, locked.pending_import


def accept_pending_import(article, user):
    """Replace the editor's text with the incoming version, the new import baseline."""
    with transaction.atomic():
        article, pending = _pending_for_update(article)
        apply_import(
            article,
            pending["values"],
            file_name=pending["file_name"],
            content_hash=pending.get("content_hash", ""),
            captured_at=parse_datetime(pending.get("captured_at") or ""),
        )
        article._change_reason = f"accepted incoming version from {pending['file_name']}"[:100]
        article._history_user = user
        article.save()
        replace_images(article, pending["values"]["images"])
        audit.record(Event.IMPORT_ACCEPTED, article, user, detail=f"from {pending['file_name']}")
    return article


def dismiss_pending_import(article, user):
    """Keep the editor's text; the incoming version becomes the baseline so it is not re-offered."""
    with transaction.atomic():
        article, pending = _pending_for_update(article)
        captured_at = parse_datetime(pending.get("captured_at") or "")
        if article.captured_at and captured_at and captured_at < article.captured_at:
            captured_at = article.captured_at
        Article.objects.filter(pk=article.pk).update(
            pending_import=None,
            imported_values=pending["values"],
            captured_at=captured_at or article.captured_at,
        )
        audit.record(Event.IMPORT_DISMISSED, article, user, detail=f"from {pending['file_name']}")
    article.refresh_from_db()
    return article


@dataclass
class Rebuilt:
    """What `rebuild_derived()` has done so far."""

    seen: int = 0
    rederived: int = 0  # derived fields rewritten
    resanitized: int = 0  # content the sanitizer changed: saved, with a history row

    def __str__(self):
        in_step = self.seen - self.rederived - self.resanitized
        return (
            f"{self.seen} articles: {self.rederived} re-derived, "
            f"{self.resanitized} re-sanitized and saved, {in_step} already in step"
        )


def rebuild_derived(batch_size=500):
    """Derive summaries and search data again from every article's stored content.

    For rows written another way (a restore, raw SQL, `loaddata`): an article whose body the
    sanitizer would change is saved, so it gets a history row; the rest only have their derived
    fields written, in one query per batch. Yields the running totals after each batch.
    """
    done, last = Rebuilt(), 0
    while True:
        with transaction.atomic():
            batch = list(
                Article.objects.select_for_update().filter(pk__gt=last).order_by("pk")[:batch_size]
            )
            if not batch:
                return
            stale = []
            for article in batch:
                before = (article._content(), _derived(article))
                article.derive_fields()
                if article._content() != before[0]:
                    article._change_reason = "sanitized again by rebuild_search_index"
                    article.save()
                    done.resanitized += 1
                elif _derived(article) != before[1]:
                    stale.append(article)
            Article.objects.update_derived(stale)
        done.seen += len(batch)
        done.rederived += len(stale)
        last = batch[-1].pk
        yield done


def _derived(article):
    # PostgreSQL stores the bigrams as a tsvector, which sorts them: compare them as a set.
    return article.summary, article.search_text, {*article.search_bigrams.split()}
