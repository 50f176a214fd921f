"""A page cache for readers: anonymous GETs of public pages, served without the database.

On when `PAGE_CACHE_SECONDS` is above zero. It sits just inside WhiteNoise, so a hit skips
sessions, CSRF, auth and the view, while the headers added by the middleware inside it (CSP,
X-Frame-Options) are stored with the page. Saving or deleting an article or image bumps a
version that is part of every key, so the next request renders afresh. The version lives in
the cache itself: with Redis (`CACHE_URL`) every worker sees the bump at once; with the
default per-process local-memory cache, other workers can serve a page up to
`PAGE_CACHE_SECONDS` old.
"""

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import HttpResponse

VERSION_KEY = "page-cache:version"
KEY_PREFIX = "page-cache:page"
HIT_HEADER = "X-Page-Cache"
# Never public pages: the editorial side, and the health check that must reach the database.
EXCLUDED_PREFIXES = ("/admin/", "/tinymce/", "/healthz")


def page_cache():
    return caches["default"]


def cache_version():
    """The current generation of cached pages; new keys appear whenever content changes."""
    cache = page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def invalidate_pages():
    """Make every cached page stale (pages are keyed by version, so old entries just expire)."""
    cache = page_cache()
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.add(VERSION_KEY, 2, timeout=None)


@receiver(post_save, sender="articles.Article", dispatch_uid="page-cache-article-saved")
@receiver(post_delete, sender="articles.Article", dispatch_uid="page-cache-article-deleted")
@receiver(post_save, sender="articles.Image", dispatch_uid="page-cache-image-saved")
@receiver(post_delete, sender="articles.Image", dispatch_uid="page-cache-image-deleted")
def _content_changed(sender, **kwargs):
    invalidate_pages()


class PageCacheMiddleware:
    """Serve and store whole responses for cookie-less GET/HEAD requests of public paths."""

    def __init__(self, get_response):
        self.timeout = settings.PAGE_CACHE_SECONDS
        if self.timeout <= 0:
            raise MiddlewareNotUsed("PAGE_CACHE_SECONDS is 0")
        self.get_response = get_response

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        key = f"{KEY_PREFIX}:{cache_version()}:{request.get_host()}:{request.get_full_path()}"
        cache = page_cache()
        stored = cache.get(key)
        if stored is not None:
            return self._rebuild(stored, head=request.method == "HEAD")
        response = self.get_response(request)
        if request.method == "GET" and self._cacheable_response(response):
            headers = tuple(response.items())
            cache.set(key, (response.status_code, headers, response.content), self.timeout)
        response[HIT_HEADER] = "miss"
        return response

    def _cacheable_request(self, request):
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith(EXCLUDED_PREFIXES)
        )

    @staticmethod
    def _cacheable_response(response):
        cache_control = response.get("Cache-Control", "")
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not any(word in cache_control for word in ("private", "no-cache", "no-store"))
        )

    @staticmethod
    def _rebuild(stored, head):
        status, headers, content = stored
        response = HttpResponse(b"" if head else content, status=status)
        for name, value in headers:
            response[name] = value
        response[HIT_HEADER] = "hit"
        return response
