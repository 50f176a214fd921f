"""The site's URLs plus `/bench-floor/<name>/`: the same bytes as a real page, with no work.

The floor is the cost of Django itself (the whole middleware stack, routing, a response) on
this machine at this moment; a page's requests/s is read as a fraction of it.
"""

from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from newsroom.urls import urlpatterns as site_urlpatterns

CAPTURED = Path(__file__).resolve().parent.parent / "var" / "bench" / "pages"
_bodies = {}


def floor(request, name):
    kind = "json" if name.startswith("api") else "html"
    if name not in _bodies:
        _bodies[name] = (CAPTURED / f"{name}.{kind}").read_bytes()
    content_type = "application/json" if kind == "json" else "text/html"
    return HttpResponse(_bodies[name], content_type=f"{content_type}; charset=utf-8")


urlpatterns = [path("bench-floor/<slug:name>/", floor), *site_urlpatterns]
