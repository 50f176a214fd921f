"""NYT Chinese: <address>byline</address><time datetime>, <figure> with <cite> credit, <footer>."""

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, local_datetime, text_of

# cn.nytimes.com stamps articles in Beijing time (a capture-time check guards the assumption).
ZONE = "Asia/Shanghai"


def prepare(container):
    found = Found()
    address = next(container.iter("address"), None)
    if address is not None:
        found.byline = text_of(address)
        drop(address)
    time = next(container.iter("time"), None)
    if time is not None:
        found.date_text = (time.get("datetime") or time.get("pudate") or text_of(time)).strip()
        found.published_at = local_datetime(found.date_text, "%Y-%m-%d %H:%M:%S", ZONE)
        found.zone_assumed = True
        drop(time)
    return found


SITE = Site(name="nyt", domains=("nytimes.com",), prepare=prepare)
