"""Simplified ⇄ Traditional Chinese with OpenCC, for pages and for search.

Pages use OpenCC's phrase-level configurations `s2tw` (Simplified to Traditional, Taiwan
standard character forms) and `tw2s` (back): they convert by phrase (头发 → 頭髮, 发展 → 發展),
not character by character, yet keep the article's own words: the `…twp`/`…hk` idiom tables
would rewrite 软件 as 軟體, which is an edit, not a script change. Search folds both the index
and the query with `tw2s`, so 臺灣, 台灣 and 台湾 are one term.

Only text is converted: the sanitized body is split into tags and the text between them, and
only the text is converted, so tags, links, images and figures stay byte for byte as the
sanitizer left them (re-serializing through lxml would percent-encode the URLs in href).
Converted fields are kept in Django's cache, keyed by article, its last change and script.
"""

import re
from functools import cache as memoize

import opencc
from django.core.cache import cache

from articles.languages import SIMPLIFIED, TRADITIONAL

CONFIGS = {TRADITIONAL: "s2tw", SIMPLIFIED: "tw2s"}
FOLD_CONFIG = "tw2s"
CACHE_SECONDS = 60 * 60 * 24 * 7
# A tag of the sanitizer's output (attribute values always quoted, so a `>` inside one is not
# its end), or a comment; the text between two tags is a text node.
TAG = re.compile(r"""<!--.*?-->|<(?:[^>"']|"[^"]*"|'[^']*')*>""", re.DOTALL)


@memoize
def _converter(config):
    return opencc.OpenCC(config)


def convert_text(text, script):
    """Plain text in `script` (SIMPLIFIED or TRADITIONAL)."""
    return _converter(CONFIGS[script]).convert(text) if text else text


def fold(text):
    """Text as search indexes and queries it: Traditional characters folded to Simplified."""
    return _converter(FOLD_CONFIG).convert(text) if text else text


def convert_html(fragment, script):
    """A sanitized HTML fragment with its text nodes, and only those, in `script`."""
    if not fragment:
        return fragment
    parts, end = [], 0
    for tag in TAG.finditer(fragment):
        parts.append(convert_text(fragment[end : tag.start()], script))
        parts.append(tag.group())
        end = tag.end()
    parts.append(convert_text(fragment[end:], script))
    return "".join(parts)


def _key(article, script, field):
    stamp = article.updated_at.timestamp() if article.updated_at else 0
    return f"scripts:{article.pk}:{stamp}:{script}:{field}"


def converted_fields(articles, script, fields):
    """{(article pk, field): text in `script`} for each article, from the cache where it can.

    One cache round trip for a whole page of cards; what is missing is converted and stored.
    """
    keys = {_key(a, script, f): (a, f) for a in articles for f in fields}
    found = cache.get_many(list(keys))
    missing = {}
    for key, (article, field) in keys.items():
        if key not in found:
            value = getattr(article, field) or ""
            convert = convert_html if field == "body" else convert_text
            found[key] = missing[key] = convert(value, script)
    if missing:
        cache.set_many(missing, CACHE_SECONDS)
    return {(a.pk, f): found[key] for key, (a, f) in keys.items()}
