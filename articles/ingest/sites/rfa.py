"""Radio Free Asia: <p><span> paragraphs, no date; the last paragraph credits the reporters."""

import re

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, drop_related_lists, text_of

SITE_DOMAINS = ("rfa.org",)

# "记者：甲 责编：乙" (2023-) and "自由亚洲电台记者甲 台北报道 责编 乙" (2021).
CREDIT_RE = re.compile(
    r"^(自由亚洲电台|自由亞洲電台)?(特约|特約)?(记者|記者|撰稿)\s*[:：]?\s*(?P<names>.+?)"
    r"(\s+\S*(报道|報道))?(\s+(责编|責編|编辑|編輯|网编|網編)\s*[:：]?.*)?$"
)

EDITORS_RE = re.compile(r"^(责编|責編|编辑|編輯)\s*[:：].*(网编|網編)\s*[:：]")


def prepare(container):
    """Take "记者：… 责编：…" as the byline: it credits the article, it is not its text."""
    drop_related_lists(container, SITE_DOMAINS)
    for zoom in list(container.iter("div")):
        if zoom.get("id") == "zoomattribute":  # Plone's "enlarge" link under each picture
            drop(zoom)
    for p in reversed(list(container.iter("p"))):
        text = text_of(p)
        if not text:
            continue
        match = CREDIT_RE.match(text)
        if match:
            drop(p)
            return Found(byline=re.sub(r"\s+", " ", match["names"]).strip())
        if EDITORS_RE.match(text):  # only the desk's editors: not the author, not the article
            drop(p)
        return Found()
    return Found()


SITE = Site(name="rfa", domains=SITE_DOMAINS, prepare=prepare)
