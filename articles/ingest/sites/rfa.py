"""Radio Free Asia: <p><span> paragraphs, no date; the last paragraph credits the reporters."""

import re

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, drop_related_lists, text_of

SITE_DOMAINS = ("rfa.org",)

CREDIT_RE = re.compile(
    r"^(记者|記者|特约记者|特約記者|撰稿|报道|報道)\s*[:：]\s*(?P<names>.+?)(\s+(责编|責編|编辑|編輯|网编|網編)\s*[:：].*)?$"
)


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
        return Found()
    return Found()


SITE = Site(name="rfa", domains=SITE_DOMAINS, prepare=prepare)
