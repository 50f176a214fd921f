"""NYT Chinese: cn.nytimes.com writes <address>byline</address><time datetime>, a <figure> with a
<cite> credit and a <footer>; until 2021 it wrote <div><i>byline<br>YYYY-MM-DD HH:MM:SS</i></div>
and a proxied <img> with a <small> caption instead. www.nytimes.com/zh-hans writes
<section name="articleBody"> with <picture> figures ("Image", caption "Credit..." credit),
companion asides and a newsletter footer."""

import re

from lxml import etree

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, local_datetime, take_italic_date, text_of

# cn.nytimes.com stamps articles in Beijing time (a capture-time check guards the assumption).
ZONE = "Asia/Shanghai"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
CREDIT_RE = re.compile(r"\s*Credit\.\.\.\s*")
NEWSLETTER_RE = re.compile(r"^感谢阅读今天的简报|^感謝閱讀今天的簡報")


def prepare(container):
    found = Found()
    address = next(container.iter("address"), None)
    if address is not None:
        found.byline = text_of(address)
        drop(address)
    time = next(container.iter("time"), None)
    if time is not None:
        found.date_text = (time.get("datetime") or time.get("pudate") or text_of(time)).strip()
        found.published_at = local_datetime(found.date_text, DATE_FORMAT, ZONE)
        found.zone_assumed = True
        drop(time)
    elif address is None:
        found = _italic_date(container)
    sections = [c for c in container if isinstance(c.tag, str)]
    if len(sections) == 1 and sections[0].tag == "section" and not (container.text or "").strip():
        sections[0].drop_tag()  # the article body wrapper: its figure is the lead
    for aside in list(container.iter("aside")):
        if not text_of(aside):
            drop(aside)
    for figure in list(container.iter("figure")):
        _tidy_figure(figure)
    for p in list(container.iter("p")):
        if NEWSLETTER_RE.match(text_of(p)):
            drop(p)
    return found


def _italic_date(container):
    """The 2020-2021 layout: the same Beijing time, in the VOA/DW italic block."""
    found = take_italic_date(container)
    if found.date_text and found.published_at is None:
        found.published_at = local_datetime(found.date_text, DATE_FORMAT, ZONE)
        found.zone_assumed = found.published_at is not None
    return found


def _tidy_figure(figure):
    """Drop the "Image" label, pick the picture from <source srcset>, split "Credit..."."""
    if (figure.text or "").strip() == "Image":
        figure.text = None
    picture = next(figure.iter("picture"), None)
    if picture is not None:
        sources = [s.get("srcset") for s in picture.iter("source") if s.get("srcset")]
        img = next(picture.iter("img"), None)
        if img is None:
            img = etree.SubElement(picture, "img")
        if not img.get("src") and sources:
            img.set("srcset", sources[-1])
        img.tail = None
        picture.getparent().replace(picture, img)
    caption = next(figure.iter("figcaption"), None)
    if caption is not None and caption.text and CREDIT_RE.search(caption.text):
        text, credit = CREDIT_RE.split(caption.text, maxsplit=1)
        caption.text = text
        etree.SubElement(caption, "cite").text = credit
    if next(figure.iter("img"), None) is None:
        drop(figure)  # a picture the archiver did not keep: its caption alone means nothing


SITE = Site(name="nyt", domains=("nytimes.com",), zone=ZONE, prepare=prepare)
