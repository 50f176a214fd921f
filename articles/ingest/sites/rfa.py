"""Radio Free Asia: <p><span> paragraphs, no date; the last paragraph credits the reporters.
Pictures are inline only (the feed carries no lead picture); until 2021 they sat in Plone's
<div class="image-inline captioned"> with a separate caption <div> and a zoom link."""

import re

from lxml import etree

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import classes, drop, drop_related_lists, text_of

SITE_DOMAINS = ("rfa.org",)

# "记者：甲 责编：乙" (2023-) and "自由亚洲电台记者甲 台北报道 责编 乙" (2021).
CREDIT_RE = re.compile(
    r"^(自由亚洲电台|自由亞洲電台)?(特约|特約)?(记者|記者|撰稿)\s*[:：]?\s*(?P<names>.+?)"
    r"(\s+\S*(报道|報道|报导|報導))?(\s+(责编|責編|编辑|編輯|网编|網編)\s*[:：]?.*)?$"
)
# "记者甲乙巴黎报导": the dateline glued to the name, with no space to split on.
GLUED_DATELINE_RE = re.compile(
    r"(台北|臺北|华盛顿|華盛頓|香港|巴黎|伦敦|倫敦|东京|東京|首尔|首爾|纽约|紐約|柏林|悉尼|"
    r"多伦多|多倫多|曼谷)(报道|報道|报导|報導)$"
)

EDITORS_RE = re.compile(r"^(责编|責編|编辑|編輯)\s*[:：].*(网编|網編)\s*[:：]")


def prepare(container):
    """Take "记者：… 责编：…" as the byline: it credits the article, it is not its text."""
    drop_related_lists(container, SITE_DOMAINS)
    for zoom in list(container.iter("div")):
        if zoom.get("id") == "zoomattribute":  # Plone's "enlarge" link under each picture
            drop(zoom)
    for box in list(container.iter("div")):
        if "image-inline" in classes(box) and box.getparent() is not None:
            _to_figure(box)
    for p in reversed(list(container.iter("p"))):
        text = text_of(p)
        if not text:
            continue
        match = CREDIT_RE.match(text)
        if match:
            drop(p)
            names = GLUED_DATELINE_RE.sub("", re.sub(r"\s+", " ", match["names"]).strip())
            return Found(byline=names.strip())
        if EDITORS_RE.match(text):  # only the desk's editors: not the author, not the article
            drop(p)
        return Found()
    return Found()


def _to_figure(box):
    """<div class="image-inline"><div><img></div><div class="image-caption"><span>caption</span>
    <span class="copyright">credit</span></div></div> is a figure."""
    img = next(box.iter("img"), None)
    if img is None:
        return
    caption = next((d for d in box.iter("div") if "image-caption" in classes(d)), None)
    credit = ""
    if caption is not None:
        for span in list(caption.iter("span")):
            if "copyright" in classes(span):
                credit = text_of(span)
                drop(span)
    figure = etree.Element("figure")
    img.getparent().remove(img)
    img.tail = None
    figure.append(img)
    if caption is not None and (text_of(caption) or credit):
        figcaption = etree.SubElement(figure, "figcaption")
        figcaption.text = text_of(caption)
        if credit:
            etree.SubElement(figcaption, "cite").text = credit
    figure.tail = box.tail
    box.getparent().replace(box, figure)


SITE = Site(name="rfa", domains=SITE_DOMAINS, prepare=prepare)
