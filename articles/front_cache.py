"""An HTTP cache in front of Newsroom (Varnish, or a CDN), told what changed by surrogate keys.

Public responses carry `Surrogate-Control: max-age=…` (how long the front may keep them) and
`Surrogate-Key` (what they show). Fastly reads both natively; deploy/varnish/newsroom.vcl turns
them into a TTL and xkey tags. The keys:

- `article-<id>`: every page showing that article: its own page, the pages of its neighbours
  (they link to it by title), and list and search pages that show its card;
- `lists`: pages whose membership changes when an article appears or goes: lists, search,
  feeds and sitemaps;
- `feeds`: feeds and sitemaps, which show many articles whole (too many to tag one by one);
- `all`: every public response, for changes that name no article (a bulk update).

When an article changes, the keys to purge follow from what readers could see before and after
(`keys_for_change`). They are purged after the transaction commits, by a task, from every
configured purger, each retried a few times; a purge that still fails is logged, and
FRONT_CACHE_SECONDS bounds how long the front can serve the old page. No page is kept past the
next scheduled publish time either, so an article going live on schedule needs no purge.
"""

import logging
import time
from dataclasses import dataclass
from urllib.request import Request, urlopen

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django_tasks import task

from articles import page_cache

logger = logging.getLogger(__name__)

ALL, LISTS, FEEDS = "all", "lists", "feeds"
ATTEMPTS = 3
TIMEOUT_SECONDS = 5


def article_key(pk):
    return f"article-{pk}"


def tag(response, *keys):
    """Mark a public response for the front cache: its keys and how long it may be kept."""
    seconds = settings.FRONT_CACHE_SECONDS
    if seconds <= 0:
        return response
    keys = dict.fromkeys([ALL, *keys])  # ordered, no duplicates
    response["Surrogate-Key"] = " ".join(keys)
    until_live = page_cache.seconds_until_next_live()
    if until_live is not None:
        seconds = max(0, min(seconds, until_live))
    response["Surrogate-Control"] = f"max-age={seconds}"
    return response


@dataclass(frozen=True)
class VarnishPurger:
    """PURGE with an `xkey-purge` header, as deploy/varnish/newsroom.vcl accepts from its ACL."""

    url: str

    def purge(self, keys):
        send(self.url, "PURGE", {"xkey-purge": " ".join(keys)})


@dataclass(frozen=True)
class FastlyPurger:
    """Fastly's batch purge by surrogate key: at most 256 keys a request."""

    api_url: str
    service_id: str
    token: str
    BATCH = 256

    def purge(self, keys):
        url = f"{self.api_url.rstrip('/')}/service/{self.service_id}/purge"
        for start in range(0, len(keys), self.BATCH):
            headers = {
                "Fastly-Key": self.token,
                "Surrogate-Key": " ".join(keys[start : start + self.BATCH]),
                "Accept": "application/json",
            }
            send(url, "POST", headers)


def send(url, method, headers):
    """One purge request; an HTTP error status raises (urllib's HTTPError is an OSError)."""
    if not url.startswith(("http://", "https://")):
        raise ValueError(f"purge URLs must be http(s), not {url!r}")
    request = Request(url, method=method, headers=headers)  # noqa: S310 (scheme checked above)
    with urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        response.read()


def purgers():
    """The purgers the settings configure; none on a laptop."""
    found = [VarnishPurger(url) for url in settings.VARNISH_PURGE_URLS]
    if settings.FASTLY_SERVICE_ID and settings.FASTLY_API_TOKEN:
        fastly = (settings.FASTLY_API_URL, settings.FASTLY_SERVICE_ID, settings.FASTLY_API_TOKEN)
        found.append(FastlyPurger(*fastly))
    return found


class PurgeFailed(Exception):
    pass


@task()
def purge(keys):
    """Purge `keys` from every front cache, each purger tried ATTEMPTS times with backoff."""
    failures = []
    for purger in purgers():
        for attempt in range(1, ATTEMPTS + 1):
            try:
                purger.purge(keys)
                break
            except (OSError, ValueError) as error:  # refused, timed out, HTTP error, bad URL
                if attempt == ATTEMPTS:
                    failures.append(f"{purger}: {error}")
                else:
                    time.sleep(0.1 * 2**attempt)
    if failures:
        logger.error("front cache purge of %s failed: %s", " ".join(keys), "; ".join(failures))
        raise PurgeFailed("; ".join(failures))


def purge_on_commit(keys):
    """Enqueue the purge once the transaction commits (at once outside a transaction)."""
    if keys and purgers():
        keys = sorted(keys)
        transaction.on_commit(lambda: purge.enqueue(keys))


def keys_for_change(pk, *, was_public, is_public):
    """What to purge when an article changes, from whether readers saw it before and after."""
    if not (was_public or is_public):
        return set()
    keys = {article_key(pk), FEEDS}
    if was_public != is_public:
        keys.add(LISTS)
    return keys


def neighbour_keys(article):
    """A newly public article appears on its neighbours' pages: purge those too."""
    from articles.models import Article

    found = Article.objects.published().neighbours(article)
    return {article_key(other.pk) for other in found.values() if other is not None}


@receiver(pre_save, sender="articles.Article", dispatch_uid="front-cache-article-before")
@receiver(pre_delete, sender="articles.Article", dispatch_uid="front-cache-article-deleting")
def _remember_visibility(sender, instance, **kwargs):
    # One query, and only with a front cache: was the stored row public before this change?
    if instance.pk is not None and purgers():
        instance.front_cache_was_public = sender.objects.published().filter(pk=instance.pk).exists()


@receiver(post_save, sender="articles.Article", dispatch_uid="front-cache-article-saved")
def _article_saved(sender, instance, **kwargs):
    if not purgers():
        return
    was_public = getattr(instance, "front_cache_was_public", False)
    is_public = instance.is_public
    keys = keys_for_change(instance.pk, was_public=was_public, is_public=is_public)
    if is_public and not was_public:
        keys |= neighbour_keys(instance)
    purge_on_commit(keys)


@receiver(post_delete, sender="articles.Article", dispatch_uid="front-cache-article-deleted")
def _article_deleted(sender, instance, **kwargs):
    was_public = getattr(instance, "front_cache_was_public", False)
    purge_on_commit(keys_for_change(instance.pk, was_public=was_public, is_public=False))


@receiver(post_save, sender="articles.Image", dispatch_uid="front-cache-image-saved")
@receiver(post_delete, sender="articles.Image", dispatch_uid="front-cache-image-deleted")
def _image_changed(sender, instance, **kwargs):
    # A picture shows on its article's page and card, and in the feeds.
    purge_on_commit({article_key(instance.article_id), FEEDS})


def bulk_changed():
    """A queryset update() or bulk_create() names no instance: purge everything public."""
    purge_on_commit({ALL})
