"""Template context shared by every page: the site's name and the page's language."""

from django.conf import settings
from django.utils import translation

from articles import languages
from articles.reader.views import page_languages


def site(request):
    code = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANG_TAG": languages.tag(code),
        "LANG_DIR": languages.direction(code),
        # Called by the template only when a page shows it; views pass their own for articles.
        "page_languages": lambda: page_languages(request),
        "x_default": lambda: unprefixed(request),
    }


def unprefixed(request):
    """This page without its language prefix: the address that picks the reader's language."""
    path = request.get_full_path()
    prefix = f"/{translation.get_language()}/"
    return "/" + path.removeprefix(prefix) if path.startswith(prefix) else path
