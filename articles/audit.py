"""The audit trail: one call, `record()`, used by the importer, the admin and the services.

Entries are append-only; the admin shows them per article and site-wide, read-only.
"""

from articles.models import AuditEntry

Event = AuditEntry.Event


def record(event, article, user=None, detail=""):
    """Note that `user` (None for the importer) did `event` to `article`."""
    saved = entry(event, article, user, detail)
    saved.save()
    return saved


def record_many(entries):
    """Save unsaved `entry()`s in one query (the importer's batches)."""
    AuditEntry.objects.bulk_create(entries)


def entry(event, article, user=None, detail=""):
    """An unsaved entry saying that `user` did `event` to `article`."""
    if user is not None and not user.is_authenticated:
        user = None
    return AuditEntry(
        event=event,
        article=article,
        article_title=(article.title if article else "")[:500],
        user=user,
        detail=detail[:1000],
    )
