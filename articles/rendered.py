"""Reader pages remembered per process under a digest of everything they show.

A view reads from the database, on every request, exactly the values its page shows (the public
filter applied by the database), then asks for the page by those values: the same values at the
same address give the same bytes, so the template is rendered once and not again. Any change a
reader could see (an edit through any path: save(), a bulk update, the shell; a publication or
unpublication, a picture fetched, a neighbour published) changes the values and so the page is
rendered afresh: nothing to invalidate, nothing stale, and nothing outlives the process.

Off while DEBUG, so edited templates show at once. A render that touched the session or the
CSRF token, or set a cookie, is never remembered: that page is not the same for everyone.
"""

import hashlib
from collections import OrderedDict
from threading import Lock

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

# About 10-25 KB a page: a few MB per worker at most.
MAX_PAGES = 500

_pages = OrderedDict()
_lock = Lock()


def render_remembered(request, template_name, context, *, shows):
    """render(), or the bytes of an earlier render of the same template showing the same values.

    `context` is a function returning the template context, called only when rendering; `shows`
    is every value the page displays, as loaded (rows, pictures, counts).
    """
    if settings.DEBUG:
        return render(request, template_name, context())
    key = _digest(request, template_name, shows)
    with _lock:
        content = _pages.get(key)
        if content is not None:
            _pages.move_to_end(key)
    if content is not None:
        return HttpResponse(content)
    response = render(request, template_name, context())
    if _same_for_everyone(request, response):
        with _lock:
            _pages[key] = response.content
            while len(_pages) > MAX_PAGES:
                _pages.popitem(last=False)
    return response


def forget_pages():
    with _lock:
        _pages.clear()


@receiver(setting_changed, dispatch_uid="rendered-pages-forget")
def _settings_changed(**kwargs):
    forget_pages()


def _digest(request, template_name, shows):
    """A 128-bit digest of the page's inputs: the values, and what the request adds to them."""
    inputs = (
        template_name,
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        timezone.get_current_timezone_name(),
        shows,
    )
    return hashlib.blake2b(repr(inputs).encode(), digest_size=16).digest()


def _same_for_everyone(request, response):
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not (session is not None and session.accessed)
    )
