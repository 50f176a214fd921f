"""Import parsed articles into the database without ever losing an editor's work.

`import_file()` is the one entry point for the command, the admin and tests; what applying an
imported version means is `articles.services.apply_import`. Each file is
atomic; `import_paths()` batches many files into one transaction with a savepoint per file,
which keeps every file atomic while costing one commit per batch instead of one per file.
"""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles import audit, services
from articles.ingest.parser import ImportFormatError, parse_article, source_for_host
from articles.models import Article
from articles.sanitize import clean_text, sanitize_html

CREATED, UPDATED, UNCHANGED, CONFLICT, STALE, FAILED = (
    "created",
    "updated",
    "unchanged",
    "conflict",
    "stale",
    "failed",
)
OUTCOMES = (CREATED, UPDATED, UNCHANGED, CONFLICT, STALE, FAILED)


@dataclass
class Outcome:
    path: str
    outcome: str
    article_id: int | None = None
    reason: str = ""
    line: int | None = None
    warnings: tuple[str, ...] = ()

    def as_dict(self):
        return {
            "path": self.path,
            "outcome": self.outcome,
            "article_id": self.article_id,
            "reason": self.reason,
            "line": self.line,
            "warnings": list(self.warnings),
        }

    def as_json(self):
        return json.dumps(self.as_dict(), ensure_ascii=False)


@dataclass
class ImportOptions:
    publish: bool = False
    encoding: str | None = None
    source_name: str | None = None
    language: str | None = None
    dry_run: bool = False
    origin: str = ""  # what brought the file (an upload, an ingest source), for the audit trail


@dataclass
class Summary:
    counts: dict = field(default_factory=lambda: dict.fromkeys(OUTCOMES, 0))

    def add(self, outcome):
        self.counts[outcome.outcome] += 1

    def __str__(self):
        c = self.counts
        text = (
            f"created {c[CREATED]}, updated {c[UPDATED]}, unchanged {c[UNCHANGED]}, "
            f"conflicts {c[CONFLICT]}, failed {c[FAILED]}"
        )
        return text + (f", stale {c[STALE]}" if c[STALE] else "")


def iter_article_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named directly, and every file below a directory (sorted; hidden files skipped)."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and not any(
                    p.startswith(".") for p in child.relative_to(path).parts
                ):
                    yield child
        else:
            yield path


def import_paths(paths, options=None, batch_size=200):
    """Import many files, yielding one Outcome per file; batches share one commit."""
    options = options or ImportOptions()
    batch = []
    for path in iter_article_files(paths):
        batch.append(path)
        if len(batch) >= batch_size:
            yield from _import_batch(batch, options)
            batch = []
    if batch:
        yield from _import_batch(batch, options)


def _import_batch(paths, options):
    outcomes = []
    with transaction.atomic():
        for path in paths:
            outcomes.append(import_file(path, options))
        if options.dry_run:
            transaction.set_rollback(True)
    return outcomes


def import_file(path, options=None, *, data=None):
    """Parse and store one file atomically; never raises for a bad file."""
    options = options or ImportOptions()
    name = str(path)
    try:
        if data is None:
            data = Path(path).read_bytes()
        parsed = parse_article(data, name, encoding=options.encoding)
    except ImportFormatError as exc:
        return Outcome(name, FAILED, reason=exc.reason, line=exc.line)
    except OSError as exc:
        return Outcome(name, FAILED, reason=f"cannot read file: {exc.strerror or exc}", line=0)
    incoming = incoming_values(parsed, options)
    for attempt in range(2):
        try:
            with transaction.atomic():
                outcome = _store(parsed, incoming, options)
                if options.dry_run:
                    transaction.set_rollback(True)
                return outcome
        except IntegrityError:
            # Another importer created the same URL (or slug) between our read and our write.
            if attempt:
                raise
    raise AssertionError("unreachable")


def incoming_values(parsed, options):
    """The editorial fields a file would set, in the shape of `current_values()`."""
    name, language = source_for_host(
        parsed.host, settings.NEWSROOM_SOURCES, settings.NEWSROOM_DEFAULT_LANGUAGE
    )
    return {
        "title": clean_text(parsed.title)[:500],
        "dateline": clean_text(parsed.dateline)[:200],
        "byline": clean_text(parsed.byline)[:300],
        "body": sanitize_html(parsed.body),
        "published_at": parsed.published_at.isoformat() if parsed.published_at else None,
        "language": options.language or language,
        "source_name": options.source_name or name,
        "images": [
            {
                "role": image.role,
                "original_url": image.url,
                "caption": clean_text(image.caption),
                "credit": clean_text(image.credit)[:300],
                "alt_text": "",
            }
            for image in parsed.images
        ],
    }


def _store(parsed, incoming, options):
    name = parsed.file_name
    article = Article.objects.select_for_update().filter(source_url=parsed.source_url).first()
    if article is None:
        article = Article(source_url=parsed.source_url, source_id=parsed.source_id)
        article.slug = services.unique_slug(parsed.slug, parsed.source_id)
        _apply(article, parsed, incoming)
        if options.publish:
            services.mark_published(article)
        article._change_reason = f"imported from {name}"
        article.save()
        services.replace_images(article, incoming["images"], new=True)
        audit.record(audit.Event.IMPORT_CREATED, article, detail=_detail(name, options))
        return Outcome(name, CREATED, article.id, warnings=parsed.warnings)

    if _is_stale(article, parsed):
        return Outcome(
            name,
            STALE,
            article.id,
            reason=f"older than the imported copy (captured {parsed.captured_at.isoformat()}, "
            f"have {article.captured_at.isoformat()})",
        )
    if incoming == article.imported_values:
        return Outcome(name, UNCHANGED, article.id)

    if not services.edited_since_import(article) or services.current_values(article) == incoming:
        _apply(article, parsed, incoming)
        article._change_reason = f"re-imported from {name}"
        article.save()
        services.replace_images(article, incoming["images"])
        audit.record(audit.Event.IMPORT_UPDATED, article, detail=_detail(name, options))
        return Outcome(name, UPDATED, article.id, warnings=parsed.warnings)

    pending = {
        "values": incoming,
        "file_name": name,
        "content_hash": parsed.content_hash,
        "captured_at": parsed.captured_at.isoformat() if parsed.captured_at else None,
        "received_at": timezone.now().isoformat(),
    }
    if (article.pending_import or {}).get("values") != incoming:
        Article.objects.filter(pk=article.pk).update(pending_import=pending)
        audit.record(
            audit.Event.IMPORT_CONFLICT, article, detail=f"incoming version from {name} waits"
        )
    return Outcome(
        name,
        CONFLICT,
        article.id,
        reason="changed since an editor's edit; the incoming version awaits review",
    )


def _detail(name, options):
    return f"from {name}" + (f" ({options.origin})" if options.origin else "")


def _is_stale(article, parsed):
    have, new = article.captured_at, parsed.captured_at
    return have is not None and new is not None and new < have


def _apply(article, parsed, incoming):
    services.apply_import(
        article,
        incoming,
        file_name=parsed.file_name,
        content_hash=parsed.content_hash,
        captured_at=parsed.captured_at,
    )
