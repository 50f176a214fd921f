"""Template helpers for the reader site: text direction, absolute URLs and safe JSON-LD."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "sd", "ug", "yi", "dv", "ckb"}
# Google News wants its own codes for Chinese scripts; other languages use the primary subtag.
NEWS_LANGUAGES = {"zh-hans": "zh-cn", "zh-cn": "zh-cn", "zh-hant": "zh-tw", "zh-tw": "zh-tw"}
# Characters that could end a <script> element or open a comment inside it, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _primary(language):
    return (language or "").split("-")[0].lower()


@register.filter
def text_direction(language):
    """`rtl` for right-to-left languages (Persian, Arabic, Hebrew, Urdu …), else `ltr`."""
    return "rtl" if _primary(language) in RTL_LANGUAGES else "ltr"


@register.filter
def news_language(language):
    """The language code a Google News sitemap expects (zh-cn, zh-tw, en, fa …)."""
    return NEWS_LANGUAGES.get((language or "").lower(), _primary(language) or "en")


def image_url(request, image):
    """Where readers load a picture: the stored file once fetched, else the original."""
    if image is None:
        return ""
    if image.file:
        return request.build_absolute_uri(image.file.url)
    return image.original_url


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    return context["request"].build_absolute_uri(path)


@register.simple_tag(takes_context=True)
def picture_url(context, image):
    return image_url(context["request"], image)


def news_article_data(request, article, lead):
    """schema.org NewsArticle for one article and its lead picture (or None), as a plain dict."""
    url = request.build_absolute_uri(article.get_absolute_url())
    publisher = {"@type": "Organization", "name": settings.SITE_NAME}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "inLanguage": article.language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "publisher": publisher,
        "author": _authors(article),
    }
    if lead is not None:
        data["image"] = [image_url(request, lead)]
    if article.dateline:
        data["dateline"] = article.dateline
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return data


def _authors(article):
    """The byline's people when the source names them; otherwise the publishing organization."""
    if article.byline:
        return {"@type": "Person", "name": article.byline}
    return {"@type": "Organization", "name": article.source_name or settings.SITE_NAME}


@register.simple_tag(takes_context=True)
def article_jsonld(context, article, lead):
    """A JSON-LD <script> data block; `<`, `>` and `&` are escaped so a title cannot end it."""
    payload = json.dumps(
        news_article_data(context["request"], article, lead),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
