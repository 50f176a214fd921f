"""Voice of America: <div><i>RFC 1123 GMT</i></div>, proxied lead <img>, <small> caption."""

from articles.ingest.sites.base import Site
from articles.ingest.sites.common import take_italic_date

SITE = Site(
    name="voa",
    domains=("voachinese.com", "voacantonese.com", "voanews.com"),
    prepare=take_italic_date,
)
