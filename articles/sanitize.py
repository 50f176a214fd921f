"""PLACEHOLDER: being replaced by the sanitizer helper. Do not build on its internals."""

import html
import re

import bleach


def clean_text(text):
    return re.sub(r"\s+", " ", text or "").strip()


def sanitize_html(value):
    return bleach.clean(value or "", strip=True)


def summarize_html(value, limit=200):
    return clean_text(html.unescape(bleach.clean(value or "", tags=set(), strip=True)))[:limit]
