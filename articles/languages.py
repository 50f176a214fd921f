"""Which interface language a page speaks, and how article languages map onto the site's.

Article languages are BCP 47 tags as imported (`zh-Hans`, `fa`, `ar`); the site's interface
languages are Django codes in settings.LANGUAGES (`zh-hans`, `fa`), one URL prefix each. An
article lives under its own language's prefix, or the default one when the site has no
interface in its language, so its URL never depends on who reads it.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

SIMPLIFIED, TRADITIONAL = "zh-hans", "zh-hant"
CHINESE_SCRIPTS = {SIMPLIFIED: "zh-Hans", TRADITIONAL: "zh-Hant"}
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"}


def site_languages():
    return [code for code, _name in settings.LANGUAGES]


def site_language(language):
    """The interface language (URL prefix) for an article language; the default when unknown."""
    code = (language or "").lower()
    codes = site_languages()
    if code in codes:
        return code
    primary = code.split("-")[0]
    return primary if primary in codes else settings.READER_DEFAULT_LANGUAGE


def tag(code):
    """The BCP 47 spelling of a site language for `lang` and `hreflang`: zh-Hans, not zh-hans."""
    return CHINESE_SCRIPTS.get(code, code)


def direction(language):
    """`rtl` for right-to-left languages (Persian, Arabic, Hebrew, Urdu …), else `ltr`."""
    return "rtl" if (language or "").split("-")[0].lower() in RTL_LANGUAGES else "ltr"


def other_script(language):
    """The other Chinese script's site language for a zh-Hans or zh-Hant article, else None."""
    code = (language or "").lower()
    return {SIMPLIFIED: TRADITIONAL, TRADITIONAL: SIMPLIFIED}.get(code)


def localized_reverse(language, viewname, **kwargs):
    """A URL under `language`'s prefix, whatever language the current request speaks."""
    with translation.override(language):
        return reverse(viewname, kwargs=kwargs)
