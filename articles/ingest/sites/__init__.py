"""One small extractor per source site, chosen by the source URL's host.

Each site module knows its own markup: where the date and byline sit, how its pictures are
captioned and credited, and which blocks are boilerplate rather than the article. The parser
calls `site_for_url()` and then runs the common steps; unknown hosts get `GENERIC`, which only
applies the cleanup every site shares.
"""

from urllib.parse import urlsplit

from articles.ingest.sites import bbc, cdt, dw, nyt, rfa, rfi, voa
from articles.ingest.sites.base import GENERIC, Found, Site

SITES = (voa.SITE, rfa.SITE, rfi.SITE, dw.SITE, nyt.SITE, bbc.SITE, cdt.SITE)

__all__ = ["GENERIC", "SITES", "Found", "Site", "site_for_url"]


def site_for_url(url):
    """The site whose domain matches the URL's host (longest domain wins), else GENERIC."""
    host = (urlsplit(url).hostname or "").lower()
    best, best_len = GENERIC, 0
    for site in SITES:
        for domain in site.domains:
            if (host == domain or host.endswith("." + domain)) and len(domain) > best_len:
                best, best_len = site, len(domain)
    return best
