"""What a site extractor is and what it hands back to the parser."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass
class Found:
    """What a site's markup said about the article, beside its body.

    `published_at` is set when the site's date was read with its zone (or a zone the site is
    known to use); `date_text` is the text as written, for messages and line numbers. `day` is
    a day of publication given without a time (CDT's archive card), read in the site's zone.
    """

    date_text: str = ""
    published_at: datetime | None = None
    zone_assumed: bool = False
    day: date | None = None
    byline: str = ""
    warnings: list = field(default_factory=list)


def _nothing(container):
    return Found()


def _same(href):
    return href


def _untouched(root):
    return None


@dataclass(frozen=True)
class Site:
    name: str
    domains: tuple[str, ...] = ()
    # The zone the site writes its dates in, where it writes none ("" when it always does).
    zone: str = ""
    # Runs on the whole tree before <noscript> is stripped: BBC's video poster lives there.
    before_cleanup: Callable = _untouched
    # Takes the date and byline out of the body and removes the site's boilerplate.
    prepare: Callable = _nothing
    # Rewrites one absolute link of the site (DW's internal API links) to what readers can open.
    public_href: Callable = _same
    # Removes what the site appends to its titles (RFI's " – 法国国际广播电台 - RFI").
    clean_title: Callable = _same


GENERIC = Site(name="generic")
