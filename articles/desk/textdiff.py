"""Escaped diffs of article text for editors (revisions, incoming imports).

Bodies are compared paragraph by paragraph as plain text, and a changed paragraph shows the
changed characters (word boundaries do not help with Chinese, characters do).
"""

import difflib
import html
import re
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join, strip_tags
from django.utils.safestring import SafeString, mark_safe

_BLOCK_END = re.compile(r"</(?:p|div|h[1-6]|li|blockquote|figcaption|tr)>|<br\s*/?>", re.IGNORECASE)


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "equal", "delete", "insert", "replace"
    html: SafeString


def html_to_lines(body):
    """One line of plain text per paragraph (or <br>-separated run) of an HTML body."""
    text = _BLOCK_END.sub("\n", body or "")
    lines = (html.unescape(strip_tags(line)).strip() for line in text.split("\n"))
    return [line for line in lines if line]


def _inline(old, new):
    """One line with the changed characters of `old` struck and those of `new` inserted."""
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape(old[a1:a2]))
            continue
        if a2 > a1:
            parts.append(format_html("<del>{}</del>", old[a1:a2]))
        if b2 > b1:
            parts.append(format_html("<ins>{}</ins>", new[b1:b2]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


def diff_lines(old_lines, new_lines, context=1):
    """The changed lines with `context` unchanged lines around each change."""
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    result = []
    for group in matcher.get_grouped_opcodes(context):
        if result:
            result.append(DiffLine("gap", mark_safe("…")))
        for op, a1, a2, b1, b2 in group:
            old, new = old_lines[a1:a2], new_lines[b1:b2]
            if op == "equal":
                result += [DiffLine("equal", escape(line)) for line in old]
            elif op == "replace" and len(old) == len(new):
                pairs = zip(old, new, strict=True)
                result += [DiffLine("replace", _inline(o, n)) for o, n in pairs]
            else:
                result += [DiffLine("delete", format_html("<del>{}</del>", line)) for line in old]
                result += [DiffLine("insert", format_html("<ins>{}</ins>", line)) for line in new]
    return result


def diff_article_text(old_title, old_body, new_title, new_body):
    """{"title": [...], "body": [...]} of DiffLines; empty lists when nothing changed."""
    title = diff_lines([old_title or ""], [new_title or ""], context=0)
    return {
        "title": title if old_title != new_title else [],
        "body": diff_lines(html_to_lines(old_body), html_to_lines(new_body)),
    }


def render_diff(lines):
    """The diff as an escaped HTML list; empty when nothing changed."""
    if not lines:
        return ""
    return format_html(
        '<ol class="textdiff">{}</ol>',
        format_html_join("", '<li class="diff-{}">{}</li>', ((d.kind, d.html) for d in lines)),
    )


def render_article_diff(old_title, old_body, new_title, new_body):
    """{"title": html, "body": html} for the admin templates."""
    diff = diff_article_text(old_title, old_body, new_title, new_body)
    return {name: render_diff(lines) for name, lines in diff.items()}
