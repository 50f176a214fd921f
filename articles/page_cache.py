"""Whole reader pages for anonymous visitors, kept in Django's cache and forgotten on change.

Pages are keyed as Django's own cache middleware keys them (`get_cache_key`/`learn_cache_key`:
the URL and the headers a response varies on). What Django's middleware cannot do is forget a
page when an article changes, so every key here also carries a generation number, kept in the
same cache: saving or deleting an article or image, any bulk write through the model's
queryset, and a scheduled article's publish time passing all start a new generation, and old
pages simply expire. With a shared cache (`CACHE_URL=redis://…`) every worker sees a new
generation at once; with the per-process default, another worker may serve a page up to
`PAGE_CACHE_SECONDS` old.

Only responses a view marked `Cache-Control: public` are kept, only for requests without a
session cookie or an `Authorization` header (a Content API token), and only when they set no
cookie: an editor's page is never stored. Anonymous responses say `X-Cache: hit` or `miss`.
"""

import math
import time

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import get_cache_key, get_conditional_response, learn_cache_key

GENERATION_KEY = "reader-pages:generation"
# When the next scheduled article goes live (a Unix time), or NOTHING_SCHEDULED.
NEXT_LIVE_KEY = "reader-pages:next-live"
NOTHING_SCHEDULED = 0
HEADER = "X-Cache"


def content_changed():
    """Start a new generation: every page cached so far is stale."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not in the cache (never set, evicted or expired)
        cache.add(GENERATION_KEY, 1, timeout=None)
    cache.delete(NEXT_LIVE_KEY)


def generation():
    """The current generation, started afresh when a scheduled article's time has come."""
    values = cache.get_many([GENERATION_KEY, NEXT_LIVE_KEY])
    current = values.get(GENERATION_KEY)
    if current is None:
        cache.add(GENERATION_KEY, 1, timeout=None)
        current = cache.get(GENERATION_KEY, 1)
    next_live = values.get(NEXT_LIVE_KEY)
    if next_live is None:
        cache.set(NEXT_LIVE_KEY, _next_go_live(), timeout=None)
    elif next_live != NOTHING_SCHEDULED and next_live <= time.time():
        content_changed()
        return generation()
    return current


def seconds_until_next_live():
    """Seconds until the next scheduled article goes live (None: none is), from the cache."""
    next_live = cache.get(NEXT_LIVE_KEY)
    if next_live is None:
        next_live = _next_go_live()
        cache.set(NEXT_LIVE_KEY, next_live, timeout=None)
    if next_live == NOTHING_SCHEDULED:
        return None
    return max(0, math.ceil(next_live - time.time()))


def _next_go_live():
    """One indexed query, made once per generation."""
    Article = apps.get_model("articles", "Article")
    moment = Article.objects.scheduled().aggregate(next=Min("published_at"))["next"]
    return moment.timestamp() if moment else NOTHING_SCHEDULED


@receiver(post_save, sender="articles.Article", dispatch_uid="page-cache-article-saved")
@receiver(post_delete, sender="articles.Article", dispatch_uid="page-cache-article-deleted")
@receiver(post_save, sender="articles.Image", dispatch_uid="page-cache-image-saved")
@receiver(post_delete, sender="articles.Image", dispatch_uid="page-cache-image-deleted")
def _saved_or_deleted(sender, **kwargs):
    # Now, so this connection's next page shows the change, and again at commit, so a page that
    # another worker rendered from the old rows in between is not kept either.
    content_changed()
    transaction.on_commit(content_changed)


class PageCacheMiddleware:
    """Serve and store anonymous GET/HEAD responses that a view marked public.

    It sits just inside WhiteNoise: a hit skips sessions, CSRF, auth and the view, and carries
    the headers (CSP, X-Frame-Options) that the middleware inside it added when it was stored.
    """

    def __init__(self, get_response):
        if settings.PAGE_CACHE_SECONDS <= 0:
            raise MiddlewareNotUsed("PAGE_CACHE_SECONDS is 0")
        self.get_response = get_response
        self.timeout = settings.PAGE_CACHE_SECONDS

    def __call__(self, request):
        if (
            request.method not in ("GET", "HEAD")
            or settings.SESSION_COOKIE_NAME in request.COOKIES
            or "HTTP_AUTHORIZATION" in request.META
        ):
            return self.get_response(request)
        prefix = f"reader-pages:{generation()}"
        # Django's cache keys end with request.LANGUAGE_CODE, which LocaleMiddleware (inside this
        # one) sets only later; without it the key would take whatever language this thread
        # last served, and a page stored by one thread would be missed by the next.
        request.LANGUAGE_CODE = translation.get_language_from_request(request, check_path=True)
        key = get_cache_key(request, prefix, "GET", cache=cache)
        stored = cache.get(key) if key else None
        if stored is not None:
            response = get_conditional_response(request, etag=stored.get("ETag"), response=stored)
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if request.method == "GET" and self._is_public(response):
            key = learn_cache_key(request, response, self.timeout, prefix, cache=cache)
            cache.set(key, response, self.timeout)
            response[HEADER] = "miss"
        return response

    @staticmethod
    def _is_public(response):
        control = {part.strip() for part in response.get("Cache-Control", "").split(",")}
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "public" in control
            and not control & {"private", "no-cache", "no-store"}
        )
