"""BBC Chinese: a <main> of grid <div>s, figures with srcSet and a "图像来源" credit, ad slots,
relative times ("19 分钟前") and related-story lists."""

import re

from lxml import etree

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import classes, drop, drop_related_lists, text_of

CREDIT_PREFIX_RE = re.compile(r"^(图像来源|圖像來源|图片来源|圖片來源)\s*[,，:：]\s*")
DIVIDER_ALT_RE = re.compile(r"presentational|grey line|section divider", re.I)


def prepare(container):
    found = Found(byline=_take_byline(container))
    time = next(container.iter("time"), None)
    if time is not None:
        found.date_text = (time.get("datetime") or "").strip()
        drop(time)
    for img in list(container.iter("img")):
        if DIVIDER_ALT_RE.search(img.get("alt") or ""):
            _drop_figure_of(img)
    for block in list(container.iter("div")):
        if block.getparent() is not None and any(c.startswith("Figure") for c in classes(block)):
            _to_figure(block)
    drop_related_lists(container, SITE.domains)
    return found


def _take_byline(container):
    """<div class="…StyledByline…"><ul><li class="Name-…">name</li><li class="Title-…">role</li>."""
    for block in list(container.iter("div")):
        if not any("Byline" in c for c in classes(block)):
            continue
        names = [
            text_of(li)
            for li in block.iter("li")
            if any(c.startswith("Name") for c in classes(li)) and text_of(li)
        ]
        drop(block)
        return "、".join(names)
    return ""


def _to_figure(block):
    """BBC's figure <div>: one <img>, a Copyright <p> (the credit) and a caption <p>."""
    img = next(block.iter("img"), None)
    if img is None:
        return
    credit = ""
    for p in list(block.iter("p")):
        if any(c.startswith("Copyright") for c in classes(p)):
            credit = CREDIT_PREFIX_RE.sub("", text_of(p))
            drop(p)
    caption = " ".join(text_of(p) for p in block.iter("p") if text_of(p))
    figure = etree.Element("figure")
    img.getparent().remove(img)
    img.tail = None
    figure.append(img)
    if caption or credit:
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.text = caption
        if credit:
            etree.SubElement(figcaption, "cite").text = credit
    target = _outermost_wrapper(block)
    figure.tail = target.tail
    target.getparent().replace(target, figure)


def _outermost_wrapper(node):
    """Climb the grid <div>s that hold nothing but `node`."""
    while True:
        parent = node.getparent()
        if parent is None or parent.getparent() is None or parent.tag != "div":
            return node
        if len([c for c in parent if isinstance(c.tag, str)]) != 1 or (parent.text or "").strip():
            return node
        node = parent


def _drop_figure_of(img):
    node = img
    while node.getparent() is not None and node.getparent().tag == "div":
        parent = node.getparent()
        if text_of(parent) or parent.getparent() is None or parent.getparent().getparent() is None:
            break
        node = parent
    drop(node)


SITE = Site(name="bbc", domains=("bbc.com", "bbc.co.uk"), prepare=prepare)
