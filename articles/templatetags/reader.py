"""Template helpers for the reader site: text direction, absolute URLs and safe JSON-LD."""

import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from articles import languages
from articles.scripts import fold

register = template.Library()

# Google News wants its own codes for Chinese scripts; other languages use the primary subtag.
NEWS_LANGUAGES = {"zh-hans": "zh-cn", "zh-cn": "zh-cn", "zh-hant": "zh-tw", "zh-tw": "zh-tw"}
# Characters that could end a <script> element or open a comment inside it, as JSON escapes.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _primary(language):
    return (language or "").split("-")[0].lower()


register.filter("text_direction", languages.direction)


@register.filter
def mark_terms(text, terms):
    """`text` escaped, with each search term in <mark>, found across scripts and letter case.

    Terms are folded as the index folds them (articles.scripts.fold): a reader who searched 臺灣
    sees 台湾 marked in a Simplified title. Folding keeps each character in place, so a match in
    the folded text marks the same characters of the text shown; when it would not, terms are
    matched as typed.
    """
    if not terms or not text:
        return text
    folded = fold(text).casefold()
    if len(folded) != len(text):
        folded = text.casefold()
    spans = []
    for term in terms:
        needle = fold(term).casefold()
        start = folded.find(needle)
        while needle and start != -1:
            spans.append((start, start + len(needle)))
            start = folded.find(needle, start + len(needle))
    if not spans:
        return text
    parts, end = [], 0
    for start, stop in sorted(spans):
        if start < end:
            continue
        parts.append(escape(text[end:start]))
        parts.append(format_html("<mark>{}</mark>", text[start:stop]))
        end = stop
    parts.append(escape(text[end:]))
    return mark_safe("".join(parts))  # noqa: S308 (every part escaped above)


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


def news_article_data(request, story, lead):
    """schema.org NewsArticle for an article as shown (a reader.versions.Version) and its lead.

    A converted version names its own language and URL, and the original it was converted from.
    """
    article = story.article
    url = request.build_absolute_uri(story.url)
    publisher = {"@type": "Organization", "name": settings.SITE_NAME}
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": story.title,
        "description": story.summary,
        "inLanguage": story.language,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "datePublished": article.published_at,
        "dateModified": article.updated_at,
        "publisher": publisher,
        "author": _authors(article),
    }
    if lead is not None:
        data["image"] = [image_url(request, lead)]
    if story.dateline:
        data["dateline"] = story.dateline
    if story.script:
        original = request.build_absolute_uri(article.get_absolute_url())
        data["translationOfWork"] = {"@id": original, "inLanguage": article.language}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    return data


def _authors(article):
    """The byline's people when the source names them; otherwise the publishing organization."""
    if article.byline:
        return {"@type": "Person", "name": article.byline}
    return {"@type": "Organization", "name": article.source_name or settings.SITE_NAME}


@register.simple_tag(takes_context=True)
def article_jsonld(context, story, lead):
    """A JSON-LD <script> data block; `<`, `>` and `&` are escaped so a title cannot end it."""
    payload = json.dumps(
        news_article_data(context["request"], story, lead),
        cls=DjangoJSONEncoder,
        ensure_ascii=False,
    ).translate(_SCRIPT_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308
