"""BBC Chinese: a <main> of grid <div>s, figures with srcSet and a "图像来源" credit, ad slots,
relative times ("19 分钟前"), related-story lists, and a media player (an <iframe> whose poster
picture sits in <noscript>) with its caption below."""

import re
from datetime import date

from lxml import etree

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import classes, drop, drop_related_lists, text_of

CREDIT_PREFIX_RE = re.compile(r"^(图像来源|圖像來源|图片来源|圖片來源)\s*[,，:：]\s*")
DIVIDER_ALT_RE = re.compile(r"presentational|grey line|section divider", re.I)
# ukchina's closing line: "请访问 BBC Future 阅读 <a>英文原文</a>。"
ENGLISH_ORIGINAL_RE = re.compile(r"^请访问\s*BBC\s*[\w ]{0,30}?阅读\s*英文原文\s*[。.]?$")
INSTAGRAM_MARK = "instagram-embed-"
# The grid's wrappers: one per paragraph, heading or list, with nothing of their own.
WRAPPER_PREFIXES = ("GridItem", "Wrapper-")


def before_cleanup(root):
    """The player's poster picture is inside <noscript>, which the parser strips: move it next
    to the player, so that the player block becomes a figure (the picture, the caption below)
    followed by a link to the video."""
    for box in list(root.iter("div")):
        if not any(c.startswith("StyledVideoContainer") for c in classes(box)):
            continue
        for noscript in list(box.iter("noscript")):
            poster = next(noscript.iter("img"), None)
            if poster is not None:
                poster.getparent().remove(poster)
                poster.tail = None
                poster.attrib.pop("aria-hidden", None)
                box.append(poster)
            drop(noscript)


def prepare(container):
    found = Found(byline=_take_byline(container))
    time = next(container.iter("time"), None)
    if time is not None:
        found.date_text = (time.get("datetime") or "").strip()
        try:
            found.day = date.fromisoformat(found.date_text)
        except ValueError:
            found.day = None
        drop(time)
    for img in list(container.iter("img")):
        if DIVIDER_ALT_RE.search(img.get("alt") or ""):
            _drop_figure_of(img)
    for block in list(container.iter("div")):
        if block.getparent() is not None and any(c.startswith("Figure") for c in classes(block)):
            _to_figure(block)
    drop_related_lists(container, SITE.domains)
    for block in list(container.iter("div")):
        mark = block.get("data-e2e") or ""
        if mark.startswith(INSTAGRAM_MARK) and block.getparent() is not None:
            _to_link(block, mark.removeprefix(INSTAGRAM_MARK), "Instagram")
    for p in list(container.iter("p")):
        if ENGLISH_ORIGINAL_RE.match(text_of(p)):
            drop(p)
    for block in list(container.iter("div")):
        if block is not container and any(c.startswith(WRAPPER_PREFIXES) for c in classes(block)):
            block.drop_tag()
    return found


def _to_link(block, url, label):
    """An embedded post the archive kept only as a placeholder: a link to the post."""
    p = etree.Element("p")
    anchor = etree.SubElement(p, "a", href=url)
    anchor.text = f"{label}: {url}"
    p.tail = block.tail
    block.getparent().replace(block, p)


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
    player = next(block.iter("iframe"), None)
    if player is not None:  # the media player: its picture is the figure, the video a link
        holder = etree.Element("p")
        holder.append(player)
        player.tail = None
        holder.tail, figure.tail = figure.tail, None
        figure.addnext(holder)


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


# <time dateTime> is a day, and a UTC one: a story stamped "19 分钟前" at 21:46 UTC on the 12th
# carries the 12th (in Beijing it was already the 13th).
SITE = Site(
    name="bbc",
    domains=("bbc.com", "bbc.co.uk"),
    zone="UTC",
    prepare=prepare,
    before_cleanup=before_cleanup,
)
