"""China Digital Times: lazy <img data-lazy-src>, an archive card ("CDT 档案卡") with author and
date, and AddToAny share buttons."""

import re

from lxml import etree
from lxml.html import fragment_fromstring

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, first_element, text_of

CARD_TITLE = "档案卡"
FIELD_RE = {
    "author": re.compile(r"作者\s*[:：]\s*(.+)"),
    "date": re.compile(r"发表日期\s*[:：]\s*(\d{4})\.(\d{1,2})\.(\d{1,2})"),
}


def prepare(container):
    """Read the archive card (byline, day of publication), then drop it: it is CDT's filing."""
    found = Found()
    for card in list(container.iter("div")):
        if card.getparent() is None or "su-spoiler" not in (card.get("class") or ""):
            continue
        title = next(
            (d for d in card.iter("div") if "su-spoiler-title" in (d.get("class") or "")), None
        )
        if title is None or CARD_TITLE not in text_of(title):
            continue
        for line in _card_lines(card):
            if match := FIELD_RE["author"].match(line):
                found.byline = found.byline or match[1].strip()
            elif match := FIELD_RE["date"].match(line):
                year, month, day = (int(g) for g in match.groups())
                found.date_text = f"{year:04d}-{month:02d}-{day:02d}"
        holder = card.getparent()
        drop(card)
        if holder is not container and not text_of(holder) and holder.getparent() is not None:
            drop(holder)
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


def _card_lines(card):
    """The card is one block of "<strong>label：</strong>value<br>" lines."""
    content = next(
        (d for d in card.iter("div") if "su-spoiler-content" in (d.get("class") or "")), card
    )
    text = etree.tostring(content, encoding="unicode", method="html")
    lines = re.split(r"<br\s*/?>", text)
    return [text_of(fragment_fromstring(line, create_parent="div")) for line in lines]


SITE = Site(name="cdt", domains=("chinadigitaltimes.net",), prepare=prepare)
