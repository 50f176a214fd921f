"""RFI: <div>DD/MM/YYYY - HH:MM</div> in Paris time, bare lead <img>, share and promo blocks."""

import re

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import (
    drop,
    drop_related_lines,
    first_element,
    local_datetime,
    text_of,
)

DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4} - \d{2}:\d{2}$")
TITLE_SUFFIX_RE = re.compile(r"\s*[–-]\s*法国国际广播电台\s*-\s*RFI\s*$")
# The site's share card, written where an article has no picture of its own.
PLACEHOLDER_IMAGE = "meta_og_twcards"
END_MARK_RE = re.compile(r"^~\.\s*Fin\s*\.~$")


def prepare(container):
    """The first <div> holds the date, written in Paris local time without a zone."""
    _repair_figures(container)
    drop_related_lines(container)
    byline = _take_author(container)
    for img in list(container.iter("img")):
        if PLACEHOLDER_IMAGE in (img.get("src") or ""):
            drop(img)
    for p in list(container.iter("p")):
        if "t-copyright" in (p.get("class") or ""):  # the wire's "© 2021 AFP"
            drop(p)
    first = first_element(container)
    if first is None or first.tag != "div" or not DATE_RE.match(text_of(first)):
        return Found(byline=byline)
    date_text = text_of(first)
    drop(first)
    if (container.text or "").strip() == "Array":  # the archiver printed a missing picture list
        container.text = ""
    return Found(
        byline=byline,
        date_text=date_text,
        published_at=local_datetime(date_text, "%d/%m/%Y - %H:%M", "Europe/Paris"),
    )


def _repair_figures(container):
    """2023 figures lose the spaces between attributes (`<imgfetchpriority="low" src=…>`), sit in a
    link to a tag page, and caption as <span>caption</span><span>credit</span>."""
    for node in list(container.iter()):
        if not isinstance(node.tag, str):
            continue
        if node.tag.startswith("img") and node.tag != "img":
            node.tag = "img"
        elif node.tag.startswith("source") and node.tag != "source":
            drop(node)
    for picture in list(container.iter("picture")):
        picture.drop_tag()
    for figure in list(container.iter("figure")):
        holder = figure.getparent()
        if holder is not None and holder.tag == "a" and len(holder) == 1:
            holder.drop_tag()  # the link goes to a tag page, not to the picture
        caption = next(figure.iter("figcaption"), None)
        spans = [s for s in caption.iter("span") if text_of(s)] if caption is not None else []
        if len(spans) == 2:
            spans[1].tag = "cite"
    for p in list(container.iter("p")):
        if END_MARK_RE.match(text_of(p)):
            drop(p)


def _take_author(container):
    """The closing <div>s hold "<span>作者：</span><a>name</a>" (2023-)."""
    for span in list(container.iter("span")):
        if text_of(span) not in ("作者：", "作者:"):
            continue
        names = [text_of(a) for a in span.itersiblings("a")]
        block = span.getparent()
        while (
            block.getparent() is not None
            and block.getparent() is not container
            and len([c for c in block.getparent() if isinstance(c.tag, str)]) == 1
        ):
            block = block.getparent()
        drop(block)
        return "、".join(n for n in names if n)
    return ""


def clean_title(title):
    return TITLE_SUFFIX_RE.sub("", title)


SITE = Site(name="rfi", domains=("rfi.fr",), prepare=prepare, clean_title=clean_title)
