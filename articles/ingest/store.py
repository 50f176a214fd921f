"""Store prepared files without ever losing an editor's work.

`store()` is the rule for one file: create, update, or report it unchanged, stale or in
conflict. `store_batch()` applies the same rule to many files in one transaction, answering
with one query what each file would ask (which URLs exist, which slugs are free) and
inserting the new articles, their history, images and audit entries in bulk. A batch is
all-or-nothing, and if the bulk insert meets a row another importer has just written, it
falls back to `store()` file by file, each in its own savepoint.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from articles import audit, services
from articles.ingest.outcomes import CONFLICT, CREATED, STALE, UNCHANGED, UPDATED, Outcome
from articles.ingest.prepare import Prepared
from articles.models import Article, Image


def store(item, options, article=None):
    """Store one prepared file atomically, retrying once if another importer raced us.

    `article` is the stored article with this URL when the caller has already locked it.
    """
    if article is not None and (outcome := _unchanged_or_stale(item, article)):
        return outcome  # nothing to write, no savepoint
    for attempt in range(2):
        try:
            with transaction.atomic():
                if article is None:
                    article = _locked(item)
                outcome = _store(item, options, article)
                if options.dry_run:
                    transaction.set_rollback(True)
                return outcome
        except IntegrityError:
            # Another importer created the same URL (or slug) between our read and our write.
            if attempt:
                raise
            article = None
    raise AssertionError("unreachable")


def store_batch(items, options):
    """Store prepared files (and pass failed Outcomes through): one Outcome each, in order."""
    existing = stored_articles(
        {item.parsed.source_url for item in items if isinstance(item, Prepared)}
    )
    outcomes = {}
    new = {}  # source URL -> (index, item): articles this batch creates
    seen = set()
    for index, item in enumerate(items):
        if not isinstance(item, Prepared):
            outcomes[index] = item
            continue
        url = item.parsed.source_url
        if url in new:  # a second copy in the same batch: the first must be stored first
            outcomes.update(_create(new.values(), options))
            new = {}
            outcomes[index] = store(item, options)
        elif url in existing:
            outcomes[index] = store(item, options, existing.pop(url))
        elif url in seen:
            outcomes[index] = store(item, options)
        else:
            new[url] = (index, item)
        seen.add(url)
    outcomes.update(_create(new.values(), options))
    return [outcomes[index] for index in range(len(items))]


def stored_articles(urls):
    """The stored articles with these source URLs, locked, with their images: {url: article}."""
    found = Article.objects.select_for_update().filter(source_url__in=urls)
    return {article.source_url: article for article in found.prefetch_related("images")}


def _create(entries, options):
    """Insert new articles in bulk; {index: Outcome}."""
    entries = list(entries)
    if not entries:
        return {}
    indexes = [index for index, _ in entries]
    items = [item for _, item in entries]
    try:
        with transaction.atomic():
            return dict(zip(indexes, _bulk_create(items, options), strict=True))
    except IntegrityError:
        for item in items:  # unsaved again, as Django documents for copying an instance
            item.article.pk = None
            item.article._state.adding = True
        return dict(zip(indexes, (store(item, options) for item in items), strict=True))


def _bulk_create(items, options):
    slugs = services.unique_slugs([(item.parsed.slug, item.parsed.source_id) for item in items])
    for item, slug in zip(items, slugs, strict=True):
        _new_article(item, slug, options)
    bulk_create_with_history([item.article for item in items], Article)
    images = [
        Image(article=item.article, position=position, **values)
        for item in items
        for position, values in enumerate(item.incoming["images"])
    ]
    bulk_create_with_history(images, Image)
    audit.record_many(
        audit.entry(audit.Event.IMPORT_CREATED, item.article, detail=_detail(item.name, options))
        for item in items
    )
    return [
        Outcome(item.name, CREATED, item.article.id, warnings=item.parsed.warnings)
        for item in items
    ]


def _locked(item):
    return Article.objects.select_for_update().filter(source_url=item.parsed.source_url).first()


def _new_article(item, slug, options):
    article = item.article
    article.slug = slug
    _apply(article, item)
    if options.publish:
        services.mark_published(article)
    article._change_reason = f"imported from {item.name}"[:100]
    return article


def _store(item, options, article):
    name, parsed, incoming = item.name, item.parsed, item.incoming
    if article is None:
        article = _new_article(item, services.unique_slug(parsed.slug, parsed.source_id), options)
        article.save()
        services.replace_images(article, incoming["images"], new=True)
        audit.record(audit.Event.IMPORT_CREATED, article, detail=_detail(name, options))
        return Outcome(name, CREATED, article.id, warnings=parsed.warnings)

    if outcome := _unchanged_or_stale(item, article):
        return outcome
    if not services.edited_since_import(article) or services.current_values(article) == incoming:
        _apply(article, item)
        article._change_reason = f"re-imported from {name}"[:100]
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


def _unchanged_or_stale(item, article):
    parsed = item.parsed
    if _is_stale(article, parsed):
        return Outcome(
            item.name,
            STALE,
            article.id,
            reason=f"older than the imported copy (captured {parsed.captured_at.isoformat()}, "
            f"have {article.captured_at.isoformat()})",
        )
    if item.incoming == article.imported_values:
        return Outcome(item.name, UNCHANGED, article.id)
    return None


def _detail(name, options):
    return f"from {name}" + (f" ({options.origin})" if options.origin else "")


def _is_stale(article, parsed):
    have, new = article.captured_at, parsed.captured_at
    return have is not None and new is not None and new < have


def _apply(article, item):
    services.apply_import(
        article,
        item.incoming,
        file_name=item.parsed.file_name,
        content_hash=item.parsed.content_hash,
        captured_at=item.parsed.captured_at,
    )
