"""Parse one file of the feed archiver's format into plain data.

Pure: bytes and a name in, a `ParsedArticle` out, no database. Every failure is an
`ImportFormatError` naming the file, the line and the reason. The grammar and its traps are
described in docs/import-format.md.
"""

import codecs
import hashlib
import html
import ipaddress
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

import lxml.html
from django.utils.text import slugify
from lxml import etree

from articles.ingest import sites
from articles.ingest.sites import common

MAX_FUTURE = timedelta(days=1)
# A site's usual zone is an assumption; a time it gives after the capture time disproves it.
ASSUMED_ZONE_SLACK = timedelta(minutes=5)
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)
SLUG_MAX = 120

HEADER_RE = re.compile(r"^<!--\s*(?P<stamp>[^>]*?)\s*-->\s*$")
RULE_RE = re.compile(r"^-{3,}\s*$")
# Characters that are never content: C0/C1 controls (but tab and newline) and noncharacters.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
LINE_SEPARATORS_RE = re.compile(r"[\u2028\u2029\x85]")
DATELINE_DASH_RE = re.compile(r"\s*[—–-]+\s*$")
FOOTER_MARKERS = ("feedx", "获取更多RSS")
AD_MARKERS = ("advert", "广告", "sponsor")
DOUBLE_BREAK_RE = re.compile(r"(?:<br\s*/?>\s*){2,}")
# Bytes that are never text, in any encoding we accept; tab, newline and CR are.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


class ImportFormatError(ValueError):
    """A file that cannot be imported, with where and why."""

    def __init__(self, file, line, reason):
        super().__init__(f"{file}:{line}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class ParsedImage:
    role: str
    url: str
    caption: str = ""
    credit: str = ""


@dataclass(frozen=True)
class ParsedArticle:
    file_name: str
    content_hash: str
    title: str
    source_url: str
    host: str
    slug: str
    source_id: str
    captured_at: datetime | None
    published_at: datetime | None
    dateline: str
    byline: str
    body: str
    images: tuple[ParsedImage, ...] = ()
    warnings: tuple[str, ...] = field(default=())


def parse_article(data, file_name, *, encoding=None, now=None):
    """Parse the bytes of one archived article. Raises ImportFormatError."""
    now = now or datetime.now(UTC)
    text = _decode(data, file_name, encoding)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    warnings = []

    first = _skip_front_matter(lines, file_name)
    header = lines[first].strip() if first < len(lines) else ""
    match = HEADER_RE.match(header)
    if not match:
        raise ImportFormatError(
            file_name,
            first + 1,
            f"expected a header like <!--1739120343000-->, found {header[:60]!r}",
        )
    captured_at = _parse_epoch_ms(match["stamp"], file_name, first + 1, now)
    if captured_at is None:
        warnings.append("the header has no capture time (NaN)")

    rule = _find_rule(lines, first + 1, file_name)
    link_line = first + 2
    title, source_url = _parse_link(lines[first + 1], file_name, link_line)
    title = sites.site_for_url(source_url).clean_title(title)
    parts = urlsplit(source_url)
    slug, source_id = slug_and_id_from_url(source_url)

    body_start = rule + 1
    while body_start < len(lines) and not lines[body_start].strip():
        body_start += 1
    raw_body = "\n".join(lines[body_start:])
    if not raw_body.strip():
        raise ImportFormatError(
            file_name,
            min(body_start + 1, len(lines)),
            "truncated: no article body after the header",
        )
    _refuse_non_article_body(raw_body, lines, body_start, file_name)
    raw_body = LINE_SEPARATORS_RE.sub("\n", CONTROL_RE.sub("", raw_body))

    def line_of(snippet):
        index = raw_body.find(snippet) if snippet else -1
        return body_start + 1 + (raw_body.count("\n", 0, index) if index >= 0 else 0)

    content = _extract(raw_body, source_url)
    warnings.extend(content.warnings)
    published_at = content.published_at
    if (
        published_at is not None
        and content.zone_assumed
        and captured_at is not None
        and published_at > captured_at + ASSUMED_ZONE_SLACK
    ):
        published_at = None
        reason = (
            f"publish date {content.date_text!r}, read in the site's usual zone, is after capture"
        )
    elif published_at is None and content.day is not None:
        published_at, note = _resolve_day(content.day, content.zone, captured_at)
        warnings.extend([note] if note else [])
        reason = f"publish day {content.day.isoformat()} is after capture"
    elif published_at is None and content.date_text:
        published_at = common.aware_datetime(content.date_text)
        if published_at is None and not _is_day_only(content.date_text):
            raise ImportFormatError(
                file_name,
                line_of(content.date_text),
                f"publish date {content.date_text!r} does not parse",
            )
        reason = f"publish date {content.date_text!r} has no time of day or zone"
    else:
        reason = "the article gives no publish date"
    if published_at is not None:
        _check_range(published_at, file_name, line_of(content.date_text), "publish date", now)
    else:
        published_at = captured_at
        warnings.append(f"{reason}; used the capture time instead")
    if not content.body.strip() and not content.images:
        # A photo post (CDT's "Photo: …") is its picture and caption; an empty body is not.
        raise ImportFormatError(file_name, body_start + 1, "truncated: the article body is empty")

    return ParsedArticle(
        file_name=file_name,
        content_hash=hashlib.sha256(data).hexdigest(),
        title=title,
        source_url=source_url,
        host=(parts.hostname or "").removeprefix("www."),
        slug=slug,
        source_id=source_id,
        captured_at=captured_at,
        published_at=published_at,
        dateline=content.dateline,
        byline=content.byline,
        body=content.body,
        images=tuple(content.images),
        warnings=tuple(warnings),
    )


def _decode(data, file_name, encoding):
    if not data or not data.strip():
        raise ImportFormatError(file_name, 1, "empty file")
    if encoding:
        try:
            return codecs.decode(data, encoding).removeprefix("\ufeff")
        except LookupError:
            raise ImportFormatError(file_name, 1, f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as exc:
            raise _decode_error(data, file_name, exc, encoding) from None
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise _decode_error(data, file_name, exc, codec) from None
    if _looks_binary(data[:8192]):
        raise ImportFormatError(file_name, 1, "binary file (control bytes), not a text article")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _decode_error(data, file_name, exc, "utf-8") from None


def _looks_binary(sample):
    """Stray control characters occur in real articles; a file made of them is not one."""
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return sample.count(0) > len(sample) // 100 or controls > len(sample) // 10


def _decode_error(data, file_name, exc, codec):
    line = data.count(b"\n", 0, exc.start) + 1
    byte = data[exc.start : exc.start + 1].hex()
    hint = (
        " (a legacy file? re-run with --encoding gbk or --encoding big5)"
        if codec == "utf-8"
        else ""
    )
    return ImportFormatError(
        file_name, line, f"not valid {codec}: byte 0x{byte} at offset {exc.start}{hint}"
    )


def _skip_front_matter(lines, file_name):
    """A fork of the archiver writes YAML front matter before the header; skip it."""
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start < len(lines) and lines[start].strip() == "---":
        for index in range(start + 1, len(lines)):
            if lines[index].strip() in ("---", "..."):
                start = index + 1
                while start < len(lines) and not lines[start].strip():
                    start += 1
                return start
        raise ImportFormatError(file_name, start + 1, "front matter (---) is never closed")
    return start


def _find_rule(lines, start, file_name):
    """The dashes under the title line; a title broken over several lines is a broken file."""
    for index in range(start, min(start + 8, len(lines))):
        if RULE_RE.match(lines[index]):
            if index == start:
                raise ImportFormatError(file_name, start + 1, "missing [title](url) line")
            if index > start + 1:
                raise ImportFormatError(
                    file_name,
                    start + 1,
                    f"the title is broken across lines {start + 1}-{index}: "
                    "the [title](url) line must be one line",
                )
            return index
    raise ImportFormatError(
        file_name, min(start + 1, len(lines)), "truncated: no ------ rule after the title line"
    )


def _parse_link(text, file_name, line):
    text = CONTROL_RE.sub("", LINE_SEPARATORS_RE.sub(" ", text)).strip()
    if not (text.startswith("[") and text.endswith(")") and "](" in text):
        raise ImportFormatError(file_name, line, f"expected [title](url), found {text[:80]!r}")
    # Titles are written unescaped and may hold "](" themselves: the URL follows the last "](".
    split = text.rindex("](")
    title, url = text[1:split], text[split + 2 : -1].strip()
    title = re.sub(r"\s+", " ", title).strip()
    if not title:
        raise ImportFormatError(file_name, line, "the title is empty")
    return title, _check_source_url(url, file_name, line)


def _check_source_url(url, file_name, line):
    if re.search(r"\s", url):
        raise ImportFormatError(file_name, line, f"source URL contains white space: {url[:80]!r}")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ImportFormatError(file_name, line, f"source URL does not parse: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise ImportFormatError(file_name, line, f"source URL must be http or https, not {shown}")
    if not parts.hostname:
        raise ImportFormatError(file_name, line, f"source URL has no host: {url[:80]!r}")
    if len(url) > 2000:
        raise ImportFormatError(file_name, line, "source URL is longer than 2000 characters")
    netloc = parts.netloc.rsplit("@", 1)[-1].lower()
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def slug_and_id_from_url(url):
    """An ASCII slug and the publisher's id from the URL path; never relies on the title."""
    parts = urlsplit(url)
    segments = [unquote(s) for s in parts.path.split("/") if s]
    source_id = ""
    if segments:
        last = re.sub(r"\.(s?html?|php|aspx?)$", "", segments[-1], flags=re.I)
        digits = re.findall(r"\d{4,}", last)
        if digits and re.fullmatch(r"[a-z]*-?\d+", last, flags=re.I):
            source_id = digits[-1]
        elif not digits and not source_id:
            query_id = parse_qs(parts.query).get("id", [""])[0]
            source_id = query_id if query_id.isdigit() else ""
    words = [slugify(re.sub(r"\.(s?html?|php|aspx?)$", "", s, flags=re.I)) for s in segments]
    words = [w for w in words if w and not w.isdigit() and not re.fullmatch(r"[a-z]{1,2}|a-\d+", w)]
    slug = max(words, key=len) if words else ""
    if len(slug) < 3:
        host = (parts.hostname or "").removeprefix("www.").split(".")[0]
        tail = source_id or hashlib.sha256(url.encode()).hexdigest()[:10]
        slug = slugify(f"{host}-{tail}")
    return slug[:SLUG_MAX].strip("-"), source_id


def _refuse_non_article_body(raw_body, lines, body_start, file_name):
    """The feed's JSON error payload, or a second article appended: neither is one article."""
    stripped = raw_body.strip()
    if stripped[:1] in ("{", "["):
        try:
            payload = json.loads(stripped)
        except ValueError:
            payload = None
        if payload is not None:
            shown = json.dumps(payload, ensure_ascii=False)[:80]
            raise ImportFormatError(
                file_name, body_start + 1, f"the body is a JSON payload, not article HTML: {shown}"
            )
    for index in range(body_start, len(lines) - 1):
        if HEADER_RE.match(lines[index].strip()) and lines[index + 1].lstrip().startswith("["):
            raise ImportFormatError(
                file_name,
                index + 1,
                "a second article header starts here: two articles concatenated in one file",
            )


def _parse_epoch_ms(stamp, file_name, line, now):
    if stamp.lower() == "nan":
        return None
    if not re.fullmatch(r"\d{1,16}", stamp):
        raise ImportFormatError(
            file_name, line, f"capture time {stamp!r} is not epoch milliseconds"
        )
    captured = datetime.fromtimestamp(int(stamp) / 1000, tz=UTC)
    _check_range(captured, file_name, line, "capture time", now)
    return captured


def _check_range(moment, file_name, line, what, now):
    if moment > now + MAX_FUTURE:
        raise ImportFormatError(file_name, line, f"{what} {moment.isoformat()} lies in the future")
    if moment < EARLIEST:
        raise ImportFormatError(file_name, line, f"{what} {moment.isoformat()} is before 1990")


# A day without a time is stored at noon UTC: the same calendar day in every zone from UTC-11
# to UTC+11, the site's own zone included (Asia/Shanghai shows 20:00).
DAY_ONLY_TIME = time(12, 0, tzinfo=UTC)


def _resolve_day(day, zone, captured_at):
    """A publication day without a time: the capture time when it falls on that day in the
    site's zone (the archiver caught the article the day it appeared), else noon UTC of that day.
    Returns (moment or None when the day is after capture, the warning that says which)."""
    zone_name = zone or "UTC"
    if captured_at is not None and captured_at.astimezone(ZoneInfo(zone_name)).date() == day:
        return captured_at, (
            f"publish day {day.isoformat()} has no time of day; the capture time falls on that "
            f"day in {zone_name} and was kept"
        )
    moment = datetime.combine(day, DAY_ONLY_TIME)
    if captured_at is not None and moment > captured_at:
        return None, ""
    return moment, (
        f"publish day {day.isoformat()} has no time of day; stored as 12:00 UTC of that day"
    )


def _is_day_only(text):
    """A date without a time or zone: usable by an editor, not as a publish instant."""
    text = text.strip()
    try:
        date.fromisoformat(text)
        return True
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(text).tzinfo is None
    except ValueError:
        return bool(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日.*", text))


# --- the HTML after the header -------------------------------------------------------------


@dataclass
class _Content:
    body: str = ""
    dateline: str = ""
    byline: str = ""
    date_text: str = ""
    published_at: datetime | None = None
    zone_assumed: bool = False
    day: date | None = None
    zone: str = ""
    images: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    base_url: str = ""


def _extract(raw_body, source_url):
    """Split the archiver's HTML into date, byline, lead media, dateline, body and images.

    The source site's extractor runs first (its date, byline and boilerplate); the steps after
    it are the same for every site.
    """
    root = lxml.html.fragment_fromstring(raw_body, create_parent="div")
    site = sites.site_for_url(source_url)
    site.before_cleanup(root)
    etree.strip_elements(root, etree.Comment, "noscript", "script", "style", with_tail=False)
    _remove_footer(root)  # first: the relay footer after BBC's <main> hides its single wrapper
    container = _unwrap_single_wrappers(root)
    content = _Content(base_url=source_url, zone=site.zone)
    _remove_ads(container)
    found = site.prepare(container)
    if not (found.date_text or found.published_at):
        found = _merge(found, common.take_italic_date(container))
    common.remove_shared_boilerplate(container)
    common.drop_empty_blocks(container)
    content.date_text, content.published_at = found.date_text, found.published_at
    content.zone_assumed, content.byline = found.zone_assumed, clean_byline(found.byline)
    content.day = found.day
    content.warnings.extend(found.warnings)
    _take_lead_media(container, content)
    _take_dateline(container, content)
    _rewrite_media(container, content)
    _lift_figures(container)
    _load_lazy_frames(container)
    _rewrite_links(container, source_url, site)
    _split_double_breaks(container)
    _drop_empty_paragraphs(container)
    content.body = _inner_html(container).strip()
    return content


def _unwrap_single_wrappers(root):
    """BBC's <main> and the fork's multi-line <div>: descend while one element holds it all."""
    node = root
    while True:
        children = [c for c in node if isinstance(c.tag, str)]
        loose_text = (node.text or "").strip() or any((c.tail or "").strip() for c in children)
        if len(children) == 1 and not loose_text and children[0].tag in ("div", "main", "article"):
            inner = children[0]
            first = next((c for c in inner if isinstance(c.tag, str)), None)
            if inner.tag == "div" and first is not None and first.tag == "i":
                return node  # VOA's <div><i>date</i></div> is content, not a wrapper
            node = inner
            continue
        return node


def _remove_footer(container):
    """The feed relay's footer (<hr><div>获取更多RSS…feedx…</div>) is not the article."""
    for hr in container.iter("hr"):
        following = hr.getnext()
        text = following.text_content() if following is not None else ""
        if any(
            marker in text or marker in etree.tostring(following, encoding="unicode")
            for marker in FOOTER_MARKERS
            if following is not None
        ):
            parent = hr.getparent()
            index = parent.index(hr)
            for sibling in list(parent)[index:]:
                parent.remove(sibling)
            previous = parent[index - 1] if index > 0 else None
            while (
                previous is not None and previous.tag == "br" and not (previous.tail or "").strip()
            ):
                parent.remove(previous)
                previous = parent[-1] if len(parent) else None
            return


def _remove_ads(container):
    for section in list(container.iter("section", "aside")):
        marks = " ".join(f"{k}={v}" for k, v in section.attrib.items()).lower()
        text = section.text_content().strip().lower()
        if any(m in marks for m in AD_MARKERS) or (
            len(text) < 40 and any(m in text for m in AD_MARKERS)
        ):
            _drop(section)


def _merge(found, generic):
    generic.byline = found.byline or generic.byline
    generic.warnings = found.warnings + generic.warnings
    return generic


BYLINE_PREFIX_RE = re.compile(r"^(by\s+|(记者|記者|作者)\s*[:：]\s*)", re.I)


def clean_byline(text):
    """ "By A and B" and "记者：A" are bylines; keep the names, one line, no trailing dashes."""
    text = re.sub(r"\s+", " ", text or "").strip()
    text = re.sub(
        r"^(by|记者|記者|作者)\s*[:：]?\s+|^(记者|記者|作者)\s*[:：]\s*", "", text, flags=re.I
    )
    return text.strip(" -—|")[:300]


def _take_lead_media(container, content):
    """The first picture or video is the lead; a <small> or <figcaption> after it, its caption."""
    for node in list(container):
        if not isinstance(node.tag, str):
            continue
        if node.tag in ("p", "h2", "h3", "blockquote", "ul", "ol", "table"):
            return
        media = node if node.tag in ("img", "video", "figure") else None
        if (
            media is None
            and node.tag in ("div", "span")
            and len(node) == 1
            and node[0].tag in ("img", "video")
        ):
            media = node[0]
        if media is None:
            if node.tag in ("div", "section", "main"):
                return
            continue
        caption_node = node.getnext()
        caption = credit = ""
        if caption_node is not None and _is_caption(caption_node) and not (node.tail or "").strip():
            caption = _text(caption_node)
            _drop(caption_node)
        video = media if media.tag == "video" else next(media.iter("video"), None)
        if video is not None:
            _keep_safe_poster(video, content)
            figure = etree.Element("figure")
            _replace(node, figure)
            figure.append(_detach(video))
            if caption:
                etree.SubElement(figure, "figcaption").text = caption
            return
        img = media if media.tag == "img" else next(media.iter("img"), None)
        url = (
            _safe_image_url(_image_source(img, content.base_url), content)
            if img is not None
            else ""
        )
        if url:
            if not caption and media.tag == "figure":
                caption, credit = _figure_caption(media)
            content.images.append(ParsedImage(role="lead", url=url, caption=caption, credit=credit))
            _drop(node)
            return
        _drop(node)


def _figure_caption(figure):
    """<figcaption>caption <cite>credit</cite></figcaption>: the credit kept apart."""
    caption_el = next(figure.iter("figcaption"), None)
    if caption_el is None:
        return "", ""
    cites = list(caption_el.iter("cite"))
    credit = " ".join(_text(c) for c in cites if _text(c))
    for cite in cites:
        _drop(cite)
    return _text(caption_el), credit


def _keep_safe_poster(video, content):
    poster = video.get("poster")
    if poster:
        safe = _safe_image_url(urljoin(content.base_url, poster), content)
        if safe:
            video.set("poster", safe)
        else:
            del video.attrib["poster"]


def _take_dateline(container, content):
    """Bare text before the first paragraph ("华盛顿 —") is the dateline."""
    pieces = [container.text or ""]
    for node in container:
        if isinstance(node.tag, str) and node.tag not in ("br",):
            break
        pieces.append(node.tail or "")
    text = re.sub(r"\s+", " ", "".join(pieces)).strip()
    if not text or len(text) > 80 or next(container.iter("p"), None) is None:
        return
    content.dateline = DATELINE_DASH_RE.sub("", text).strip()
    container.text = ""
    for node in list(container):
        if isinstance(node.tag, str) and node.tag != "br":
            break
        if node.tag == "br":
            container.remove(node)
        else:
            node.tail = ""


def _rewrite_media(container, content):
    """Inline pictures: unwrap the proxy, pair each with its caption in a <figure>."""
    for img in list(container.iter("img")):
        url = _safe_image_url(_image_source(img, content.base_url), content)
        if not url:
            _drop(img)
            continue
        for attr in list(img.attrib):
            if attr not in ("alt", "width", "height", "title"):
                del img.attrib[attr]
        if img.get("width", "").endswith("%"):
            del img.attrib["width"]
        img.set("src", url)
        holder = img.getparent()
        alone = holder is not None and len(holder) == 1 and not (holder.text or "").strip()
        anchor = holder if alone and holder.tag in ("div", "span", "p") else img
        caption_node = anchor.getnext()
        caption = credit = ""
        if (
            caption_node is not None
            and _is_caption(caption_node)
            and not (anchor.tail or "").strip()
        ):
            caption = _text(caption_node)
            _drop(caption_node)
        parent = anchor.getparent()
        if parent is not None and parent.tag == "figure":
            caption_el = next(parent.iter("figcaption"), None)
            if caption_el is not None:
                cite = next(caption_el.iter("cite"), None)
                credit = _text(cite) if cite is not None else ""
                caption = _text(caption_el).removesuffix(credit).strip()
        elif parent is not None:
            figure = etree.Element("figure")
            _replace(anchor, figure)
            figure.append(_detach(img))
            if caption:
                etree.SubElement(figure, "figcaption").text = caption
        content.images.append(ParsedImage(role="inline", url=url, caption=caption, credit=credit))
    for video in container.iter("video"):
        _keep_safe_poster(video, content)
    for audio in list(container.iter("audio")):
        caption_node = audio.getnext()
        if (
            caption_node is not None
            and _is_caption(caption_node)
            and not (audio.tail or "").strip()
        ):
            figure = etree.Element("figure")
            _replace(audio, figure)
            figure.append(audio)
            etree.SubElement(figure, "figcaption").text = _text(caption_node)
            _drop(caption_node)


def _rewrite_links(container, source_url, site):
    """Links readers can follow: absolute to the source site, public, and never empty."""
    own = _comparable(source_url)
    for anchor in list(container.iter("a")):
        href = common.repair_href(anchor.get("href"))
        if not common.text_of(anchor) and not common.has_media(anchor):
            _drop(anchor)
            continue
        if not href or href.startswith("#"):
            anchor.drop_tag()
            continue
        absolute = site.public_href(urljoin(source_url, href))
        if _comparable(absolute) == own:
            anchor.drop_tag()  # a link to the article itself: keep the words, not the link
            continue
        anchor.set("href", absolute)


def _comparable(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.")
    return (host, unquote(parts.path).rstrip("/"), parts.query)


def _split_double_breaks(container):
    """<p>one<br><br>two</p> is two paragraphs in VOA's markup."""
    for p in list(container.iter("p")):
        parts = DOUBLE_BREAK_RE.split(_inner_html(p))
        if len(parts) < 2:
            continue
        parent, tail = p.getparent(), p.tail
        index = parent.index(p)
        parent.remove(p)
        for offset, part in enumerate(parts):
            parent.insert(index + offset, lxml.html.fragment_fromstring(f"<p>{part}</p>"))
        parent[index + len(parts) - 1].tail = tail


def _drop_empty_paragraphs(container):
    """A paragraph with no text and no media; an embed (<p><iframe></p>) is media."""
    for p in list(container.iter("p")):
        if not p.text_content().strip() and not common.has_media(p):
            _drop(p)


INLINE_WRAPPERS = ("strong", "b", "em", "i", "span", "small")


def _lift_figures(container):
    """A <figure> cannot sit in a <p>: a browser (and the sanitizer) closes the paragraph before
    it and leaves an empty one behind. Split the paragraph around the figure instead."""
    for figure in list(container.iter("figure")):
        parent = figure.getparent()
        while (
            parent is not None
            and parent.tag in INLINE_WRAPPERS
            and len(parent) == 1
            and not (parent.text or "").strip()
        ):
            _replace(parent, _detach(figure))
            parent = figure.getparent()
        if parent is None or parent.tag != "p":
            continue
        after = etree.Element("p")
        after.text, figure.tail = figure.tail, None
        for sibling in list(figure.itersiblings()):
            after.append(sibling)
        parent.remove(figure)
        parent.addnext(figure)
        figure.addnext(after)
        after.tail, parent.tail = parent.tail, None
        for half in (parent, after):
            if not "".join(half.itertext()).strip() and not common.has_media(half):
                _drop(half)


def _load_lazy_frames(container):
    """Lazy embeds keep their address in data-src behind a data: placeholder; the sanitizer
    reads src to turn a known video into a link."""
    for frame in container.iter("iframe"):
        src = (frame.get("src") or "").strip()
        lazy = (frame.get("data-src") or frame.get("data-lazy-src") or "").strip()
        if lazy and (not src or src.lower().startswith("data:")):
            frame.set("src", lazy)


def unwrap_image_url(url):
    """`https://images.weserv.nl?url=host/a.jpg` → `https://host/a.jpg`; only http(s) survives."""
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.hostname in ("images.weserv.nl", "wsrv.nl"):
        inner = parse_qs(parts.query).get("url", [""])[0].strip()
        inner = re.sub(r"^ssl:", "https://", inner)
        if inner and not re.match(r"^[a-z][a-z0-9+.-]*:(?!\d)", inner, flags=re.I):
            inner = f"https://{inner.lstrip('/')}"
        url, parts = inner, urlsplit(inner)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return urlunsplit(("https", parts.netloc.lower(), parts.path, parts.query, ""))


def image_host_refusal(url):
    """Why a picture's host must never reach a page or the fetcher, or None when it may.

    Pure (no DNS): names that mean this machine, and IP literals that are not public unicast,
    including the cloud metadata addresses and integer forms such as http://2130706433/.
    """
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith((".localhost", ".internal", ".local")):
        return f"{host} names a local or internal host"
    literal = int(host) if host.isdigit() else host
    try:
        ip = ipaddress.ip_address(literal)
    except ValueError:
        return None
    embedded = [ip.ipv4_mapped, ip.sixtofour] if ip.version == 6 else []
    for address in [ip, *[a for a in embedded if a is not None]]:
        if str(address) in METADATA_ADDRESSES:
            return f"{address} is a cloud metadata address"
        if not address.is_global or address.is_multicast or address.is_reserved:
            return f"{address} is not a public address"
    return None


METADATA_ADDRESSES = frozenset(
    ("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254")
)


def _safe_image_url(raw, content):
    """The unwrapped picture address, or "" (with a warning) when its host is not public."""
    url = unwrap_image_url(raw)
    reason = image_host_refusal(url) if url else None
    if reason:
        content.warnings.append(f"dropped picture {url[:100]}: {reason}")
        return ""
    return url


def _image_source(img, base_url=""):
    """The real source: lazy loading puts a data: placeholder in src and the picture elsewhere."""
    for attr in ("src", "data-src", "data-original", "data-lazy-src"):
        value = (img.get(attr) or "").strip()
        if value and not value.lower().startswith("data:"):
            return urljoin(base_url, value) if base_url else value
    srcset = img.get("srcset") or img.get("data-lazy-srcset") or img.get("data-srcset") or ""
    candidates = [c.strip().split()[0] for c in srcset.split(",") if c.strip()]
    if candidates:
        return urljoin(base_url, candidates[-1]) if base_url else candidates[-1]
    return ""


def _is_caption(node):
    return isinstance(node.tag, str) and (
        node.tag == "small"
        or (
            node.tag in ("div", "p")
            and len(node) == 1
            and node[0].tag == "small"
            and not (node.text or "").strip()
        )
    )


def _first_element(container):
    if (container.text or "").strip():
        return None
    return next((c for c in container if isinstance(c.tag, str)), None)


def _text(node):
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", node.text_content()).strip())


def _detach(node):
    """Remove a node but keep its tail text in place."""
    parent = node.getparent()
    if parent is not None:
        _keep_tail(node)
        parent.remove(node)
    return node


def _drop(node):
    _detach(node)


def _keep_tail(node):
    tail, node.tail = node.tail, None
    if not tail:
        return
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent = node.getparent()
        parent.text = (parent.text or "") + tail


def _replace(old, new):
    new.tail, old.tail = old.tail, None
    old.getparent().replace(old, new)


def _inner_html(node):
    parts = [html.escape(node.text, quote=False)] if node.text else []
    parts += [etree.tostring(child, encoding="unicode", method="html") for child in node]
    return "".join(parts)


def source_for_host(host, sources, default_language):
    """Publisher name and language for a host: the longest configured domain that matches."""
    host = (host or "").lower().removeprefix("www.")
    candidates = [d for d in sources if host == d or host.endswith("." + d)]
    if candidates:
        entry = sources[max(candidates, key=len)]
        return entry["name"], entry["language"]
    return host, default_language
