"""China Digital Times: lazy pictures (data-lazy-src, data-src), WordPress caption boxes, an
archive card ("CDT 档案卡") with author and date, and AddToAny share buttons."""

import re
from datetime import date

from lxml import etree
from lxml.html import fragment_fromstring

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, first_element, text_of

CARD_TITLE = "档案卡"
AUTHOR_RE = re.compile(r"作者\s*[:：]\s*(.+)")
DAY_RE = re.compile(r"发表日期\s*[:：]\s*(\d{4})\.(\d{1,2})\.(\d{1,2})")
# CDT's own closing lines (2023-): the call for submissions, its QR code and the podcast promo.
PROMO_RE = re.compile(r"^(中国数字时代\s*CDT\s*致力于|了解更多投稿信息|欢迎读者访问\s*CDT)")
QR_CODE_MARK = "QR-code"


def prepare(container):
    """Read the archive card (byline, day of publication), then drop it: it is CDT's filing."""
    found = Found()
    for card in list(container.iter("div")):
        if card.getparent() is None or "su-spoiler" not in (card.get("class") or ""):
            continue
        title = _part(card, "su-spoiler-title")
        if title is None or CARD_TITLE not in text_of(title):
            continue
        for line in _card_lines(card):
            if match := AUTHOR_RE.match(line):
                found.byline = found.byline or match[1].strip()
            elif match := DAY_RE.match(line):
                try:
                    found.day = date(*(int(g) for g in match.groups()))
                except ValueError:  # "2023.2.30": a typo on the card, not a day
                    continue
                found.date_text = found.day.isoformat()
        holder = card.getparent()
        drop(card)
        if holder is not container and not text_of(holder) and holder.getparent() is not None:
            drop(holder)
    for p in list(container.iter("p")):
        if p.getparent() is not None and (PROMO_RE.match(text_of(p)) or _is_qr_code(p)):
            drop(p)
    for box in list(container.iter("div")):
        if "wp-caption" in (box.get("class") or "").split():
            _to_figure(box)
    for p in list(container.iter("p")):
        _pair_with_styled_caption(p)
    first = first_element(container)
    if (
        first is not None
        and first.tag == "p"
        and len(first) == 1
        and first[0].tag == "img"
        and not (first.text or "").strip()
        and not (first[0].tail or "").strip()
    ):
        img = first[0]  # the lead picture, alone in a paragraph
        first.remove(img)
        img.tail = first.tail
        first.getparent().replace(first, img)
    return found


def _is_qr_code(p):
    """The submission bot's QR code, alone in its paragraph."""
    images = list(p.iter("img"))
    return (
        len(images) == 1
        and not text_of(p)
        and any(
            QR_CODE_MARK in (images[0].get(a) or "") for a in ("src", "data-src", "data-lazy-src")
        )
    )


def _to_figure(box):
    """WordPress's <div class="wp-caption"><img><p class="wp-caption-text"> is a figure."""
    img = next(box.iter("img"), None)
    if img is None:
        return
    caption = next((p for p in box.iter("p") if "wp-caption-text" in (p.get("class") or "")), None)
    figure = etree.Element("figure")
    img.getparent().remove(img)
    img.tail = None
    figure.append(img)
    if caption is not None and text_of(caption):
        etree.SubElement(figure, "figcaption").text = text_of(caption)
    figure.tail = box.tail
    box.getparent().replace(box, figure)


def _pair_with_styled_caption(p):
    """<p><img></p><span style="font-size: 0.8em…">caption 图源：credit</span> (2024-), or the
    same span inside the paragraph after a <br>."""
    inner = [c for c in p if isinstance(c.tag, str)]
    if [c.tag for c in inner] == ["img", "br", "span"] and not (p.text or "").strip():
        span = inner[2]
        p.remove(inner[1])
        p.remove(span)
        span.tail = None
        p.addnext(span)
    caption = p.getnext()
    if (
        caption is None
        or caption.tag != "span"
        or "font-size" not in (caption.get("style") or "")
        or len(p) != 1
        or p[0].tag != "img"
        or text_of(p)
    ):
        return
    text, _, credit = text_of(caption).partition("图源：")
    figure = etree.Element("figure")
    img = p[0]
    p.remove(img)
    img.tail = None
    figure.append(img)
    figcaption = etree.SubElement(figure, "figcaption")
    figcaption.text = text.strip()
    if credit.strip():
        etree.SubElement(figcaption, "cite").text = credit.strip()
    figure.tail = caption.tail
    caption.getparent().remove(caption)
    p.getparent().replace(p, figure)


def _part(card, name):
    return next((d for d in card.iter("div") if name in (d.get("class") or "")), None)


def _card_lines(card):
    """The card is one block of "<strong>label：</strong>value<br>" lines."""
    content = _part(card, "su-spoiler-content")
    html = etree.tostring(card if content is None else content, encoding="unicode", method="html")
    return [
        text_of(fragment_fromstring(line, create_parent="div"))
        for line in re.split(r"<br\s*/?>", html)
    ]


# The card's day is the original's day of publication, in mainland China.
SITE = Site(name="cdt", domains=("chinadigitaltimes.net",), zone="Asia/Shanghai", prepare=prepare)
