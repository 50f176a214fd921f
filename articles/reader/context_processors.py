"""Template context shared by every page: the site's name and the page's language."""

from django.conf import settings
from django.utils import translation

from articles import languages


def site(request):
    code = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LANG_TAG": languages.tag(code),
        "LANG_DIR": languages.direction(code),
    }
