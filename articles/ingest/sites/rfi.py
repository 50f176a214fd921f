"""RFI: <div>DD/MM/YYYY - HH:MM</div> in Paris time, bare lead <img>, share and promo blocks."""

import re

from articles.ingest.sites.base import Found, Site
from articles.ingest.sites.common import drop, first_element, local_datetime, text_of

DATE_RE = re.compile(r"^\d{2}/\d{2}/\d{4} - \d{2}:\d{2}$")


def prepare(container):
    """The first <div> holds the date, written in Paris local time without a zone."""
    first = first_element(container)
    if first is None or first.tag != "div" or not DATE_RE.match(text_of(first)):
        return Found()
    date_text = text_of(first)
    drop(first)
    if (container.text or "").strip() == "Array":  # the archiver printed a missing picture list
        container.text = ""
    return Found(
        date_text=date_text,
        published_at=local_datetime(date_text, "%d/%m/%Y - %H:%M", "Europe/Paris"),
    )


SITE = Site(name="rfi", domains=("rfi.fr",), prepare=prepare)
