"""Cleanup and readings that several sites share, on lxml trees."""

import re
import unicodedata
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

RELATIVE_TIME_RE = re.compile(
    r"^\s*(最近更新\s*[:：]\s*)?(\d+\s*(秒|秒钟|分钟|分鐘|小时|小時|天|日|周|週|个月|個月)前|刚刚|剛剛|昨天|"
    r"\d+\s*(seconds?|minutes?|hours?|days?)\s+ago)\s*$",
    re.I,
)
ENGLISH_VERSION_RE = re.compile(
    r"(点击|點擊)查看本文英文版|(阅读|閱讀)英文(原文|版)|English version", re.I
)
COPYRIGHT_RE = re.compile(r"^\s*(©|\(c\)|版权所有|版權所有).*(版权|版權|copyright|授权|授權)", re.I)
SHARE_LABEL_RE = re.compile(r"^\s*(分享|Share)\s*[:：]?\s*$", re.I)
ICON_SRC_RE = re.compile(r"(\+\+resource\+\+|\+\+plone\+\+|zoom[^/]*\.(png|gif|svg)$)", re.I)
DOUBLED_SCHEME_RE = re.compile(r"^https?://(https?://)", re.I)
MEDIA_TAGS = ("img", "video", "audio", "iframe", "picture", "source")


def text_of(node):
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", node.text_content()).strip())


def drop(node):
    """Remove `node`, keeping its tail text where it was."""
    parent = node.getparent()
    if parent is None:
        return
    tail, node.tail = node.tail, None
    if tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
    parent.remove(node)


def has_media(node):
    return any(True for _ in node.iter(*MEDIA_TAGS))


def classes(node):
    return (node.get("class") or "").split()


def remove_shared_boilerplate(container):
    """What no site's article contains: share widgets, promos, relative times, icons."""
    for node in list(container.iter()):
        if not isinstance(node.tag, str) or node.getparent() is None:
            continue
        attrs = " ".join(f"{k}={v}" for k, v in node.attrib.items()).lower()
        if (
            "addtoany" in attrs
            or "a2a_kit" in attrs
            or "data-root-share" in attrs
            or "data-selfpromo" in attrs
            or node.tag in ("share-button", "share-modal")
        ):
            drop(node)
    for node in list(container.iter("div", "section", "aside")):
        first = next((c for c in node if isinstance(c.tag, str)), None)
        if (
            first is not None
            and SHARE_LABEL_RE.match(text_of(first))
            and node.getparent() is not None
        ):
            drop(node)
    for node in list(container.iter("time", "span", "small", "div", "p")):
        if node.getparent() is not None and RELATIVE_TIME_RE.match(node.text_content()):
            drop(node)
    for img in list(container.iter("img")):
        if ICON_SRC_RE.search(img.get("src") or ""):
            drop(img)
    for node in list(container.iter("p", "div", "a", "footer")):
        if node.getparent() is None:
            continue
        text = text_of(node)
        if ENGLISH_VERSION_RE.fullmatch(text.rstrip("。.!！ ")) or (
            node.tag == "p" and COPYRIGHT_RE.match(text) and len(text) < 300
        ):
            drop(node)
        elif node.tag == "footer":
            _strip_loose_text(node, ENGLISH_VERSION_RE)


def _strip_loose_text(node, pattern):
    """NYT writes "点击查看本文英文版。" as bare text at the end of its footer."""
    if node.text and pattern.search(node.text):
        node.text = pattern.sub("", node.text).strip(" 。.")
    for child in node:
        if child.tail and pattern.search(child.tail):
            child.tail = pattern.sub("", child.tail).strip(" 。.")


# "延伸阅读：<a>another story</a>" (DW writes 延申 too): a related-story line, not the article.
RELATED_LINE_RE = re.compile(r"^(延伸|延申)(阅读|閱讀)\s*[:：]")


def drop_related_lines(container):
    """DW's and RFI's "延伸阅读：" paragraphs, each a link to another of the site's stories."""
    for p in list(container.iter("p")):
        if p.getparent() is not None and RELATED_LINE_RE.match(text_of(p)):
            drop(p)


def drop_related_lists(container, domains):
    """A list of nothing but links to the site's other stories is a "related" box."""
    for ul in list(container.iter("ul")):
        items = [li for li in ul if isinstance(li.tag, str)]
        if ul.getparent() is not None and items and all(_is_own_link(li, domains) for li in items):
            drop(ul)


def repair_href(href):
    """BBC writes some links as "http://https://www.bbc.com/…": keep the inner address."""
    return DOUBLED_SCHEME_RE.sub(r"\1", (href or "").strip())


def _is_own_link(li, domains):
    links = list(li.iter("a"))
    if len(links) != 1 or text_of(links[0]) != text_of(li):
        return False
    host = (urlsplit(repair_href(links[0].get("href"))).hostname or "").lower()
    return not host or any(host == d or host.endswith("." + d) for d in domains)


def drop_empty_blocks(container):
    """Wrappers left empty once boilerplate went (BBC's timestamp div, RFA's <br> spacers)."""
    for node in reversed(list(container.iter("div", "span", "section", "p", "figure"))):
        if node.getparent() is None or node is container:
            continue
        if not text_of(node) and not has_media(node):
            drop(node)


NULL_NAME_RE = re.compile(r"^(?:null|undefined)(?:\s+|$)")


def take_italic_date(container):
    """VOA's <div><i>RFC 1123 date</i></div> and DW's <div><i>byline<br>ISO date</i></div>."""
    from articles.ingest.sites.base import Found

    first = first_element(container)
    if first is None:
        return Found()
    italic = first if first.tag == "i" else None
    if (
        first.tag == "div"
        and len(first) == 1
        and first[0].tag == "i"
        and not (first.text or "").strip()
    ):
        italic = first[0]
    if italic is None:
        return Found()
    pieces = [italic.text or ""] + [(br.tail or "") for br in italic if br.tag == "br"]
    # DW's feed writes a missing first author as "null" ("null 作者" or "null" alone).
    pieces = [NULL_NAME_RE.sub("", p.strip()) for p in pieces]
    pieces = [p for p in pieces if p]
    dated = [p for p in pieces if aware_datetime(p) or re.search(r"\d{4}", p)]
    date_text = (dated or [""])[-1]
    byline = " ".join(p for p in pieces if p != date_text)
    drop(first)
    return Found(date_text=date_text, published_at=aware_datetime(date_text), byline=byline)


def first_element(container):
    if (container.text or "").strip():
        return None
    return next((c for c in container if isinstance(c.tag, str)), None)


def aware_datetime(text):
    """RFC 1123 / 2822 or ISO 8601 with a zone, as aware UTC; None for anything less."""
    text = (text or "").strip()
    if not text:
        return None
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        parsed = None
    if parsed is None:
        try:
            parsed = datetime.fromisoformat(text if "T" in text else text.replace(" ", "T", 1))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(UTC)


def local_datetime(text, fmt, zone):
    """A naive local time in a zone the site is known to use, as aware UTC; None if no match."""
    try:
        naive = datetime.strptime(text.strip(), fmt)
    except ValueError:
        return None
    return naive.replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)


def paragraphs(container):
    return [p for p in container.iter("p") if p.getparent() is not None]


def is_element(node):
    return isinstance(node.tag, str) and not isinstance(node, etree._Comment)
