"""Deutsche Welle: <div><i>author<br>ISO 8601 Z</i></div>, API links, promo and copyright lines."""

import re

from articles.ingest.sites.base import Site
from articles.ingest.sites.common import drop, drop_related_lines, take_italic_date, text_of

API_LINK_RE = re.compile(r"^https?://api\.dw\.com/api/detail/article/(\d+)", re.I)
PROMO_RE = re.compile(r"^DW中文有(Instagram|Facebook|YouTube|Twitter|X)", re.I)


def prepare(container):
    found = take_italic_date(container)
    for p in list(container.iter("p")):
        if p.getparent() is not None and PROMO_RE.match(text_of(p)):
            drop(p)
    drop_related_lines(container)
    return found


def public_href(href):
    """api.dw.com/api/detail/article/<n> is DW's internal API; readers open dw.com/zh/a-<n>."""
    match = API_LINK_RE.match(href)
    if not match:
        return href
    return f"https://www.dw.com/zh/a-{match[1]}"


SITE = Site(name="dw", domains=("dw.com",), prepare=prepare, public_href=public_href)
