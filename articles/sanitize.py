"""The one place that decides what HTML and text may be stored.

Pure functions, no Django, bleach's public API only: a `bleach.sanitizer.Cleaner` with the
allowlists below, a callable attribute filter, and one html5lib filter (`_PolicyFilter`) for what
our policy adds. bleach parses the HTML as a browser does (<script>, <noscript> ... swallow their
content), strips tags that are neither allowed nor dropped (their text stays) and quotes and
escapes what it writes back. `_guard` shapes the input around three html5lib bugs. When the
output may not parse back into the same tree (misnested markup the parser repaired), it is
sanitized again until it stops changing: sanitizing is idempotent and a second run reports
nothing.

Policy, beyond the allowlists:
- Elements in DROP_WITH_CONTENT_TAGS go with everything inside them (bleach's strip=True alone
  would leave the text of a <script> or <style> behind). A known player <iframe> (YouTube,
  Vimeo, Kaltura, BBC's media player; Firstory for audio) becomes a plain link to the video
  instead (`_EMBEDS`).
- Links may be http, https, mailto or relative. Media (img, video, audio, source) must be https
  or root-relative (/media/...: our own renditions); http media would be mixed content on an
  https site. Quotations may cite http or https. Anything else, however encoded, is removed.
- Media left without a usable source is removed; so is a link with nothing inside it.
- Absolute links get rel="noopener noreferrer"; authors' rel and target are not kept.
- Text loses control characters, noncharacters and NULs; CR, U+2028 and U+2029 become newlines.
"""

import html as html_module
import re
import unicodedata
from dataclasses import dataclass
from functools import partial
from html.entities import html5
from typing import NamedTuple

from bleach.html5lib_shim import Filter
from bleach.sanitizer import Cleaner

__all__ = [
    "ALLOWED_ATTRIBUTES",
    "ALLOWED_PROTOCOLS",
    "ALLOWED_TAGS",
    "DROP_WITH_CONTENT_TAGS",
    "MEDIA_PROTOCOLS",
    "SanitizeResult",
    "clean_text",
    "html_to_text",
    "sanitize_html",
    "sanitize_report",
    "summarize_html",
    "summarize_sanitized",
]

# fmt: off
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd",
    "a", "strong", "b", "em", "i", "u", "s", "sub", "sup", "small", "mark",
    "blockquote", "q", "cite", "abbr", "time", "figure", "figcaption", "img",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "code", "pre", "kbd", "span", "div", "video", "audio", "source",
})
# fmt: on

ALLOWED_ATTRIBUTES = {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "width", "height", "title"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "abbr": frozenset({"title"}),
    "time": frozenset({"datetime"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan"}),
    "video": frozenset({"src", "poster", "controls", "width", "height", "preload"}),
    "audio": frozenset({"src", "controls", "preload"}),
    "source": frozenset({"src", "type"}),
    "ol": frozenset({"start", "reversed"}),
}

#: Schemes allowed in a[href]; relative URLs are allowed too.
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
#: Schemes allowed for media sources; root-relative paths are allowed too.
MEDIA_PROTOCOLS = frozenset({"https"})
_CITE_PROTOCOLS = frozenset({"http", "https"})

#: Removed together with everything inside them.
# fmt: off
DROP_WITH_CONTENT_TAGS = frozenset({
    "script", "style", "iframe", "frame", "frameset", "object", "embed", "applet",
    "noscript", "noembed", "noframes", "template", "svg", "math", "textarea", "select",
    "option", "button", "form", "input", "title", "head", "meta", "link", "base",
    "xmp", "plaintext", "canvas", "dialog", "portal",
})
# fmt: on

# (tag, attribute) -> (allowed schemes, which scheme-less URLs pass: "any", "root" or "none")
_URL_RULES = {
    ("a", "href"): (ALLOWED_PROTOCOLS, "any"),
    ("img", "src"): (MEDIA_PROTOCOLS, "root"),
    ("video", "src"): (MEDIA_PROTOCOLS, "root"),
    ("video", "poster"): (MEDIA_PROTOCOLS, "root"),
    ("audio", "src"): (MEDIA_PROTOCOLS, "root"),
    ("source", "src"): (MEDIA_PROTOCOLS, "root"),
    ("blockquote", "cite"): (_CITE_PROTOCOLS, "none"),
    ("q", "cite"): (_CITE_PROTOCOLS, "none"),
}
_MEDIA_TAGS = frozenset({"img", "video", "audio", "source"})
_EXTERNAL_REL = "noopener noreferrer"
_MAX_EXTRA_PASSES = 4


class _Embed(NamedTuple):
    """A known player <iframe>: its address pattern, the page its IDs rebuild, the link's label."""

    pattern: re.Pattern
    page: str
    label: str = "Video"


# Known embeds, turned into a link to the video (or episode) page. IDs are matched strictly and
# the page is rebuilt from them, so nothing else of the embed's address reaches a link.
_EMBEDS = (
    _Embed(
        re.compile(
            r"(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{11})(?:[?#&/]|$)",
            re.IGNORECASE,
        ),
        "https://www.youtube.com/watch?v={}",
    ),
    _Embed(
        re.compile(r"(?:https?:)?//player\.vimeo\.com/video/([0-9]{1,12})(?:[?#&/]|$)", re.I),
        "https://vimeo.com/{}",
    ),
    # Kaltura (RFA): the player page itself plays the entry; partner, player and entry rebuild it.
    _Embed(
        re.compile(
            r"(?:https?:)?//cdnapisec\.kaltura\.com/p/([0-9]{1,12})/sp/[0-9]{1,14}/embedIframeJs"
            r"/uiconf_id/([0-9]{1,12})/partner_id/[0-9]{1,12}\?(?:[^#]*&)?entry_id=([0-9]_[a-z0-9]{8})"
            r"(?:[&#]|$)",
            re.I,
        ),
        "https://cdnapisec.kaltura.com/p/{0}/sp/{0}00/embedIframeJs/uiconf_id/{1}/partner_id/{0}"
        "?iframeembed=true&entry_id={2}",
    ),
    # BBC's media player (av-embeds) opens on its own as the video's page.
    _Embed(
        re.compile(
            r"(?:https?:)?//(?:www\.)?bbc\.com/ws/av-embeds/((?:[a-z0-9-]{1,40}/){2,6}"
            r"p[0-9a-z]{7}(?:/[a-z]{2}(?:-[a-z]{2,4})?)?)(?:[?#]|$)",
            re.I,
        ),
        "https://www.bbc.com/ws/av-embeds/{}",
    ),
    # Firstory podcast episodes (CDT's 404 archive).
    _Embed(
        re.compile(
            r"(?:https?:)?//open\.firstory\.me/embed/story/([a-z0-9]{20,30})(?:[?#/]|$)", re.I
        ),
        "https://open.firstory.me/story/{}",
        "Audio",
    ),
)

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane | 0xFFFE)}{chr(plane | 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
# In HTML: C0 controls but tab/LF/CR, DEL, C1 controls, noncharacters, lone surrogates.
# Every astral character is a candidate, checked in `_clean_chars`: a class listing the astral
# noncharacters one by one makes this regex ten times slower on every body.
_HTML_JUNK = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]"
)
# CR would come back as LF after a re-parse; U+2028/U+2029 are line breaks to readers.
_HTML_NEWLINE = re.compile("\r\n?|[\u2028\u2029]")
# In plain text also invisible format characters that should never be in a title: zero-width
# space, word joiner, BOM, bidi embeddings/overrides/isolates (they reorder text around the
# title on the page). ZWJ/ZWNJ (needed by Persian, Arabic, emoji) and LRM/RLM/ALM are kept.
_TEXT_JUNK = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200b\u202a-\u202e\u2060-\u2064"
    f"\u2066-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff{_NONCHARACTERS}]"
)
_TEXT_SPACE = re.compile(r"\s+")
_SINGLE_SPACES_KEPT = frozenset("\u00a0\u2007\u202f\u3000")  # no-break and ideographic spaces
# Characters a browser ignores or that hide a scheme: stripped before looking at the scheme.
_URL_INVISIBLE = re.compile(
    r"[\x00-\x20\x7f-\xa0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f-\u206f\u3000\ufeff\ufffd]+"
)
_URL_SCHEME = re.compile(r"([a-z][a-z0-9+.-]*):")


@dataclass(frozen=True)
class SanitizeResult:
    """Sanitized HTML and what was removed, e.g. ("<script>", "onerror attribute")."""

    html: str
    removed: tuple[str, ...]


def sanitize_html(html: str) -> str:
    """The stored form of an HTML body."""
    return sanitize_report(html).html


def sanitize_report(html: str) -> SanitizeResult:
    """Sanitized HTML plus what was taken out, in words an editor can act on."""
    if not html:
        return SanitizeResult("", ())
    if not isinstance(html, str):
        raise TypeError(f"expected str, got {type(html).__name__}")
    out, removed, stable = _sanitize_once(html)
    for _ in range(_MAX_EXTRA_PASSES):  # every pass's output is safe; this is for idempotence
        if stable:
            break
        again, more, stable = _sanitize_once(out)
        removed += more
        if again == out:
            break
        out = again
    return SanitizeResult(out, tuple(dict.fromkeys(removed)))


def clean_text(text: str) -> str:
    """A plain-text field (title, dateline, caption, credit, alt) on one tidy line.

    `<` and `&` are left alone: plain text is escaped when rendered, not here.
    """
    if not text:
        return ""
    text = _TEXT_JUNK.sub("", text)
    text = _TEXT_SPACE.sub(lambda m: m[0] if m[0] in _SINGLE_SPACES_KEPT else " ", text)
    return unicodedata.normalize("NFC", text).strip()


def summarize_html(html: str, limit: int = 200) -> str:
    """Plain text of the first paragraphs (<p>), at most `limit` characters plus "…" when cut.

    Paragraphs are joined by a space. The cut falls on the last space in the second half of
    the limit (words, or a paragraph end); failing that, as in Chinese or Japanese, at the
    limit itself. A body without paragraphs is summarized from all its text.
    """
    return summarize_sanitized(sanitize_html(html), limit)


def summarize_sanitized(html: str, limit: int = 200) -> str:
    """`summarize_html` of a body `sanitize_html` returned, without parsing it again.

    Sanitized HTML is well-formed and holds no script or comment, so a light regex pass over
    it is enough.
    """
    if not html or limit <= 0:
        return ""
    parts = []
    length = 0
    for paragraph in _PARAGRAPH.finditer(html):
        text = _plain_text(paragraph[1])
        if text:
            parts.append(text)
            length += len(text) + 1
            if length > limit:
                break
    text = " ".join(parts) or _plain_text(html)
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rfind(" ")
    text = text[:cut] if cut >= limit // 2 else text[:limit]
    return text.rstrip(" ,;:-–—、，；：") + "…"


_PARAGRAPH = re.compile(r"<p(?:\s[^>]*)?>(.*?)</p>", re.S)
_BREAK = re.compile(r"<br\s*/?>")
_ANY_TAG = re.compile(r"<[^>]*>")


def html_to_text(html: str) -> str:
    """The text of an HTML fragment: tags become spaces, entities are decoded."""
    return _TEXT_SPACE.sub(" ", html_module.unescape(_ANY_TAG.sub(" ", html or ""))).strip()


def _plain_text(fragment: str) -> str:
    return clean_text(html_module.unescape(_ANY_TAG.sub("", _BREAK.sub(" ", fragment))))


# --- one pass: bleach's Cleaner plus our filter -----------------------------------------------

# Renamed before parsing, so that html5lib never enters its SVG/MathML code, which has bugs:
# `<table><thead><svg><tfoot></table>` sends it into an endless loop that eats memory.
_FOREIGN_STAND_INS = {"svg": "newsroom-svg", "math": "newsroom-math"}
_FOREIGN_NAMES = {stand_in: name for name, stand_in in _FOREIGN_STAND_INS.items()}
# A tag left unclosed at the end, or holding a `<`, is not renamed: bleach's tokenizer strips it.
_FOREIGN_TAG = re.compile(r"<(/?)(svg|math)(?=[\t\n\f />])([^<>]*)>", re.IGNORECASE)
_DROPPED = (DROP_WITH_CONTENT_TAGS - _FOREIGN_STAND_INS.keys()) | set(_FOREIGN_STAND_INS.values())
# The input is parsed inside this element: html5lib 1.1's etree builder loses an element that
# it moves out of a <table> (`<table><p>x</p></table>`) when that table sits at the top level.
_BODY = "newsroom-body"
_BODY_END = re.compile(f"</{_BODY}[^>]*>?", re.IGNORECASE)  # input must not end it early
# Tags that reach the tree: any other tag is stripped by bleach's tokenizer (its text stays).
_PARSED_TAGS = ALLOWED_TAGS | _DROPPED | {_BODY}
# Start tags as the tokenizer reads them, skipping comments and raw-text content: for the report
# only (bleach strips unknown tags silently), so an approximation is enough.
_START_TAGS = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<(script|style|xmp|iframe|noembed|noframes|noscript|textarea|title)(?=[\s/>])"
    r".*?(?:</\1\s*>|\Z)"
    r"|<plaintext.*"
    r"|<([a-zA-Z][^\t\n\f />]*)(?:\"[^\"]*\"|'[^']*'|[^>\"'])*",
    re.DOTALL | re.IGNORECASE,
)


def _guard(html: str) -> str:
    """The input as bleach's Cleaner should see it.

    Junk characters go first (bleach would turn them into "?"). `&amp;` is written `&#38;`: the
    Cleaner keeps references as written and reads `&amp;` as a plain `&`, which would make
    `&amp;copy 2024` and `&copy 2024` indistinguishable to the filter, which decodes text.
    """
    html = _clean_chars(html).replace("&amp;", "&#38;")
    html = _FOREIGN_TAG.sub(_rename_foreign, _BODY_END.sub("", html))
    return f"<{_BODY}>{html}"  # left open: the parser closes it at the end


def _rename_foreign(match: re.Match) -> str:
    end, name, rest = match[1], _FOREIGN_STAND_INS[match[2].lower()], match[3]
    if not end and rest.endswith("/"):  # <svg/> is empty; an HTML element would stay open
        return f"<{name}{rest[:-1]}></{name}>"
    return f"<{end}{name}{rest}>"


def _unwrapped_tags(html: str) -> list[str]:
    """The report's lines for start tags bleach strips, keeping their text."""
    return [
        f"<{name}> tag" if re.fullmatch(r"[a-z][a-z0-9-]*", name) else "malformed tag"
        for name in (m[2].lower() for m in _START_TAGS.finditer(html) if m[2])
        if name not in _PARSED_TAGS
    ]


class _Policy:
    """One pass's state: the callable attribute filter, and what was removed, in order."""

    def __init__(self):
        self.removed: list[str] = []
        self.dropping = False  # inside an element dropped with its content: nothing to report
        self.stable = True  # whether the output is sure to parse back into the same tree

    def allow_attribute(self, tag: str, name: str, value: str) -> bool:
        """bleach's attribute filter; an iframe keeps its src for the video-embed rule."""
        if self.dropping or tag in _DROPPED:
            return tag == "iframe" and name == "src"
        if tag == "a" and name == "rel":
            return True  # _PolicyFilter sets or removes it, once it has seen the href
        if name not in ALLOWED_ATTRIBUTES.get(tag, ()):
            self.removed.append(f"{name} attribute")
            return False
        rule = _URL_RULES.get((tag, name))
        problem = rule and _url_problem(_unescape_attribute(value), *rule)
        if problem:
            self.removed.append(f"{problem} in {name}")
            return False
        return True


def _sanitize_once(html: str) -> tuple[str, list[str], bool]:
    """One parse, clean and serialize; also whether the output is sure to read back the same."""
    policy = _Policy()  # a Cleaner is not thread-safe and costs microseconds: one per call
    cleaner = Cleaner(
        tags=_PARSED_TAGS,
        attributes=policy.allow_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=False,  # _PolicyFilter removes them, for the report
        filters=[partial(_PolicyFilter, policy=policy)],
    )
    guarded = _guard(html)
    out = cleaner.clean(guarded).strip()
    return out, policy.removed + _unwrapped_tags(guarded), policy.stable


# --- the policy filter ----------------------------------------------------------------------

_TAGS = frozenset({"StartTag", "EmptyTag", "EndTag"})
_TEXT = frozenset({"Characters", "SpaceCharacters", "Entity"})
_HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
# Start tags that close an open <p> when a browser parses them, and what bounds that search.
_CLOSES_P = _HEADINGS | {
    "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure", "hr", "li", "ol", "p", "pre",
    "table", "ul",
}  # fmt: skip
_P_SCOPE = frozenset({"table", "caption", "td", "th"})
# Table parts and the only parent a parser keeps them in.
_TABLE_PARENTS = {
    "caption": {"table"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "tr": {"thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
}
_TABLE_ROWS = frozenset({"table", "thead", "tbody", "tfoot", "tr"})


class _PolicyFilter(Filter):
    """What our policy adds to bleach's allowlists, run on the stream bleach has sanitized.

    Text and attribute values are decoded and cleaned here. An element whose fate depends on
    its content (a link, media without src) is held back until its end tag.
    """

    def __init__(self, source, policy: _Policy):
        super().__init__(source)
        self.policy = policy
        self.out: list[dict] = []
        self.open: list[str] = []  # names of the open elements in the output
        self.scopes: list[_Scope] = [_Scope()]  # what each open element's content is inside
        self.held: list[list] = []  # [depth, start token, tokens inside, has a <source> child]
        self.text: list[str] = []

    def __iter__(self):
        dropping = 0  # depth inside an element dropped with its content
        for token in super().__iter__():
            kind = token["type"]
            if dropping:
                dropping += (kind == "StartTag") - (kind == "EndTag")
                self.policy.dropping = dropping > 0
            elif kind in _TEXT:
                self.text.append(_decode_text(token))
            elif kind == "Comment":
                self.policy.removed.append("comment")
            elif kind in _TAGS and token["name"] == _BODY:
                pass  # the container `_guard` put around the input
            elif kind in _TAGS and token["name"] in _DROPPED:
                dropping = self._drop(token)
            elif kind == "EndTag":
                self._end(token)
            elif kind in _TAGS:
                self._start(token)
        self._flush_text()
        return iter(self.out)

    def _drop(self, token) -> int:
        """Drop an element with its content, or turn a video embed into a link."""
        name = token["name"]
        embed = name == "iframe" and not self.scopes[-1].a and _embed_url(token)
        if embed:
            link, label = embed
            self.policy.removed.append("<iframe> (replaced by a link)")
            wrap = not self.scopes[-1].p
            if wrap:
                self._emit({"type": "StartTag", "name": "p", "data": {}})
            attrs = {(None, "href"): link, (None, "rel"): _EXTERNAL_REL}
            self._emit({"type": "StartTag", "name": "a", "data": attrs})
            self.text.append(f"{label}: {link}")
            self._emit({"type": "EndTag", "name": "a"})
            if wrap:
                self._emit({"type": "EndTag", "name": "p"})
        else:
            self.policy.removed.append(f"<{_FOREIGN_NAMES.get(name, name)}>")
        depth = int(token["type"] == "StartTag")
        self.policy.dropping = depth > 0
        return depth

    def _start(self, token) -> None:
        name = token["name"]
        token["data"] = self._attributes(name, token["data"])
        if name in _MEDIA_TAGS and (None, "src") not in token["data"]:
            if token["type"] == "EmptyTag":  # <img> or <source>: nothing to show
                self.policy.removed.append(f"<{name}>")
                return
            self._emit(token, hold=True)  # kept if it has a <source> child
        elif name == "a":
            self._emit(token, hold=True)  # kept if it has content
        else:
            if name == "source" and self.held and self.held[-1][0] == len(self.open) - 1:
                self.held[-1][3] = True
            self._emit(token)

    def _end(self, token) -> None:
        name = token["name"]
        depth = len(self.open) - 1
        if not self.held or self.held[-1][0] != depth:
            self._emit(token)
            return
        self._flush_text()
        self.open.pop()
        self.scopes.pop()
        _, start, inside, has_source = self.held.pop()
        if name == "a" and not any(t["type"] in _TAGS for t in inside) and not _has_text(inside):
            self.policy.removed.append("empty link")
            self._sink().extend(inside)
        elif name != "a" and not has_source:
            self.policy.removed.append(f"<{name}>")
        else:
            self._sink().extend([start, *inside, token])

    def _attributes(self, name: str, attrs: dict) -> dict:
        """Attribute values decoded, cleaned and escaped for bleach's serializer; rel on links."""
        kept = {}
        for key, value in attrs.items():
            if "&" in value:
                # As references, so that bleach's serializer keeps `&` literal.
                value = _SERIALIZER_REFERENCE.sub("&#38;", _unescape_attribute(value))
            if (name, key[1]) in _URL_RULES:
                value = value.strip()
            kept[key] = value.replace('"', "&quot;")  # so that bleach's serializer quotes with "
        if name == "a":
            had_rel = kept.pop((None, "rel"), None) is not None
            if _is_absolute(kept.get((None, "href"), "")):
                kept[(None, "rel")] = _EXTERNAL_REL
            elif had_rel:
                self.policy.removed.append("rel attribute")
        return kept

    def _emit(self, token, hold: bool = False) -> None:
        """Add a tag to the output, or hold its element back until its end tag; note whether
        a browser reading the output would nest it the same way."""
        self._flush_text()
        name, kind = token["name"], token["type"]
        if kind == "EndTag":
            self.open.pop()
            self.scopes.pop()
        elif self.policy.stable and not _nests_as_parsed(name, self.open, self.scopes[-1]):
            self.policy.stable = False
        if hold:
            self.held.append([len(self.open), token, [], False])
        else:
            self._sink().append(token)
        if kind == "StartTag":
            self.open.append(name)
            self.scopes.append(self.scopes[-1].inside(name))

    def _flush_text(self) -> None:
        if not self.text:
            return
        data = "".join(self.text)
        self.text.clear()
        sink = self._sink()
        if sink and sink[-1]["type"] == "StartTag" and sink[-1]["name"] == "pre":
            # Parsers drop a newline right after <pre> (html5lib not inside table cells): drop
            # them all so that the output reads back the same in either case.
            data = data.lstrip("\n")
        if self.open and self.open[-1] in _TABLE_ROWS and data.strip():
            self.policy.stable = False  # a parser moves such text out of the table
        if data:
            sink.append({"type": "Characters", "data": data})

    def _sink(self) -> list[dict]:
        return self.held[-1][2] if self.held else self.out


class _Scope(NamedTuple):
    """Which elements that a parser closes on its own are open around some content."""

    p: bool = False  # a <p> that a block would close (table cells and captions hide it)
    a: bool = False
    list_item: bool = False  # an <li>, <dd> or <dt> not inside a list of its own
    definition: bool = False  # the same, not inside a <dl> of its own

    def inside(self, name: str) -> "_Scope":
        item = name in ("li", "dd", "dt")
        return _Scope(
            name == "p" or (self.p and name not in _P_SCOPE),
            name == "a" or self.a,
            item or (self.list_item and name not in ("ul", "ol")),
            item or (self.definition and name != "dl"),
        )


def _nests_as_parsed(name: str, open_: list[str], scope: _Scope) -> bool:
    """Whether a parser reading our output would open `name` inside the same parent.

    Conservative: a False only costs another pass. These are the cases where html5lib closes
    elements on its own, moves content out of a table, or ignores a table part.
    """
    parent = open_[-1] if open_ else None
    if name in _TABLE_PARENTS:
        return parent in _TABLE_PARENTS[name]
    if parent in _TABLE_ROWS:
        return False
    if name == "a" and scope.a:
        return False
    if name in _HEADINGS and parent in _HEADINGS:
        return False
    if (name == "li" and scope.list_item) or (name in ("dd", "dt") and scope.definition):
        return False
    return not (name in _CLOSES_P and scope.p)


def _has_text(tokens: list[dict]) -> bool:
    return any(t["type"] == "Characters" and t["data"].strip() for t in tokens)


def _decode_text(token) -> str:
    """Text as a browser reads it, cleaned. `_guard` cleaned the rest of the input, and made
    every `&` that bleach leaves in text a raw one."""
    if token["type"] == "Entity":
        return _clean_chars(html_module.unescape(f"&{token['name']};"))
    data = token["data"]
    return _clean_chars(html_module.unescape(data)) if "&" in data else data


def _unescape_attribute(value: str) -> str:
    """An attribute value as a browser reads it, cleaned: bleach's tokenizer leaves references
    as typed. Unlike text, a named reference without `;` before `=` stays as written (`&not=2`).
    """
    if "&" not in value:
        return value
    return _clean_chars(_ATTRIBUTE_REFERENCE.sub(_attribute_reference, value))


_ATTRIBUTE_REFERENCE = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[A-Za-z][A-Za-z0-9]*;?)")
# An `&` bleach's serializer would leave as is, making a reference of literal text.
_SERIALIZER_REFERENCE = re.compile(r"&(?=#|[A-Za-z0-9]+;)")


def _attribute_reference(match: re.Match) -> str:
    name = match[1]
    if name.startswith("#"):
        return html_module.unescape(match[0])
    if name in html5 and (name.endswith(";") or match.string[match.end() : match.end() + 1] != "="):
        return html5[name]
    return match[0]


def _embed_url(token) -> tuple[str, str] | None:
    """The page of a known embed <iframe> and its link's label ("Video"), or None."""
    src = _unescape_attribute(token["data"].get((None, "src"), "")).strip()
    for embed in _EMBEDS:
        match = embed.pattern.match(src)
        if match:
            return embed.page.format(*match.groups()), embed.label
    return None


def _url_problem(value: str, schemes: frozenset[str], relative: str) -> str | None:
    """Why a URL may not stay (e.g. "javascript: URL"), or None if it may.

    Looks at the URL as a browser would: entities are already decoded by the parser; tabs,
    newlines, controls and invisible characters anywhere are ignored; case does not matter.
    """
    url = _URL_INVISIBLE.sub("", value).lower()
    match = _URL_SCHEME.match(url)
    if match:
        return None if match[1] in schemes else f"{match[1]}: URL"
    if ":" in re.split(r"[/?#]", url, maxsplit=1)[0]:
        return "invalid URL"  # a colon before any path: a scheme a browser might still see
    if relative == "any":
        return None
    if relative == "root" and url.startswith("/") and url[1:2] not in ("/", "\\"):
        return None
    return "relative URL" if url else "empty URL"


def _is_absolute(url: str) -> bool:
    url = _URL_INVISIBLE.sub("", url).lower()
    return re.match(r"https?:|[/\\]{2}", url) is not None


def _clean_chars(text):
    if not text:
        return text
    return _HTML_NEWLINE.sub("\n", _HTML_JUNK.sub(_astral_kept, text))


def _astral_kept(match: re.Match) -> str:
    """An astral character stays unless it is a noncharacter (U+1FFFE, U+1FFFF, ...)."""
    char = match[0]
    return char if char > "\uffff" and ord(char) & 0xFFFE != 0xFFFE else ""
