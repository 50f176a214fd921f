"""The one place that decides what HTML and text may be stored.

Pure functions, no Django. HTML is parsed with bleach's html5lib parser the way a browser parses
it: entities decoded, raw-text elements such as <script> and <noscript> swallowing their content.
Tags that are neither allowed nor dropped are stripped by bleach's tokenizer before the tree is
built (their text stays), so the tree holds allowed elements and elements to drop. One pass over
that tree applies the policy below; html5lib's serializer writes the result back with every
attribute quoted and every `&`, `<` and `>` escaped. Only allowed elements and attributes can
come out, so re-parsing the output cannot produce anything executable. When the parser had to
repair misnested markup, the output is sanitized again until it stops changing: sanitizing is
idempotent and a second run reports nothing.

Policy, beyond the allowlists:
- Elements in DROP_WITH_CONTENT_TAGS go with everything inside them (bleach's strip=True alone
  would leave the text of a <script> or <style> behind). A YouTube or Vimeo embed <iframe>
  becomes a plain link to the video instead.
- Links may be http, https, mailto or relative. Media (img, video, audio, source) must be https
  or root-relative (/media/...: our own renditions); http media would be mixed content on an
  https site. Quotations may cite http or https. Anything else, however encoded, is removed.
- Media left without a usable source is removed; so is a link with nothing inside it.
- Absolute links get rel="noopener noreferrer"; authors' rel and target are not kept.
- Text loses control characters, noncharacters and NULs; CR, U+2028 and U+2029 become newlines.
"""

import html as html_module
import re
import threading
import unicodedata
from dataclasses import dataclass
from types import SimpleNamespace

from bleach import html5lib_shim
from bleach._vendor.html5lib.treebuilders import getTreeBuilder

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

# Known video embeds, turned into a link to the video page. IDs are matched strictly.
_EMBEDS = (
    (
        re.compile(
            r"(?:https?:)?//(?:www\.)?youtube(?:-nocookie)?\.com/embed/([A-Za-z0-9_-]{11})(?:[?#&/]|$)",
            re.IGNORECASE,
        ),
        "https://www.youtube.com/watch?v={}",
    ),
    (
        re.compile(r"(?:https?:)?//player\.vimeo\.com/video/([0-9]{1,12})(?:[?#&/]|$)", re.I),
        "https://vimeo.com/{}",
    ),
)

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    f"{chr(plane | 0xFFFE)}{chr(plane | 0xFFFF)}" for plane in range(0, 0x110000, 0x10000)
)
# In HTML: C0 controls but tab/LF/CR, DEL, C1 controls, noncharacters, lone surrogates.
_HTML_JUNK = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
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
    if html in _known_clean:
        return SanitizeResult(html, ())
    out, removed, settled = _sanitize_once(html)
    for _ in range(_MAX_EXTRA_PASSES):  # every pass's output is safe; this is for idempotence
        if settled:
            break
        again, more, settled = _sanitize_once(out)
        removed += more
        if again == out:
            break
        out = again
    _remember_clean(out)
    return SanitizeResult(out, tuple(dict.fromkeys(removed)))


# Recent outputs. Sanitizing is idempotent, so an output seen again (the importer sanitizes a
# body, then Article.save() sanitizes it once more) is returned as is instead of re-parsed.
_known_clean: dict[str, None] = {}
_KNOWN_CLEAN_MAX = 64


def _remember_clean(html: str) -> None:
    if len(_known_clean) >= _KNOWN_CLEAN_MAX:
        _known_clean.clear()
    _known_clean[html] = None


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
    limit itself. A body without paragraphs is summarized from all its text. Once sanitized
    (free for a body just sanitized: see `_known_clean`), the HTML is well-formed and holds no
    script or comment, so a light regex pass over it is enough.
    """
    if not html or limit <= 0:
        return ""
    html = sanitize_html(html)
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


# --- parsing --------------------------------------------------------------------------------


class _Tokenizer(html5lib_shim.BleachHTMLTokenizer):
    """Bleach's tokenizer with three changes.

    - It notes the start tags it strips, for the report.
    - It keeps its own parse errors (entities, attribute syntax) to itself: those cannot
      misnest the tree, so the parser's error list is about tree building only.
    - <svg> and <math> reach the tree builder renamed, as plain elements to drop. html5lib's
      foreign-content (SVG/MathML) code has bugs: `<table><thead><svg><tfoot></table>` sends it
      into an endless loop that eats memory. We drop both anyway, so it never needs to run.
    """

    def __iter__(self):
        for token in super().__iter__():
            if token["type"] != html5lib_shim.TAG_TOKEN_TYPE_PARSEERROR:
                yield token

    def emitCurrentToken(self):
        token = self.currentToken
        kind = token["type"]
        if kind == _START_TAG and token["name"].lower() not in self.parser.tags:
            self.parser.stripped.append(token["name"].lower())
        super().emitCurrentToken()  # lowercases the name
        if kind in (_START_TAG, _END_TAG) and token["name"] in _FOREIGN_STAND_INS:
            token["name"] = _FOREIGN_STAND_INS[token["name"]]
            if kind == _START_TAG and token["selfClosing"]:  # <svg/> is empty, not open
                token["selfClosing"] = False
                self.tokenQueue.append(
                    {"type": _END_TAG, "name": token["name"], "data": [], "selfClosing": False}
                )


_EtreeBuilder = getTreeBuilder("etree")


class _Element(_EtreeBuilder.elementClass):
    """html5lib 1.1's etree element forgets to record a child put in by insertBefore (how a
    stray element is moved out of a <table>), so a later reparenting loses it: without this,
    `<table><p>text</p></table>` comes out as `<table></table>`."""

    def insertBefore(self, node, refNode):
        super().insertBefore(node, refNode)
        siblings = self._childNodes
        siblings.insert(siblings.index(refNode) if refNode in siblings else len(siblings), node)


class _TreeBuilder(_EtreeBuilder):
    elementClass = _Element


class _Parser(html5lib_shim.BleachHTMLParser):
    """BleachHTMLParser with the tokenizer above; `_parse` mirrors bleach 6's own override."""

    stripped: list[str]

    def _parse(self, stream, innerHTML=False, container="div", scripting=True, **kwargs):
        self.stripped = []
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting  # <noscript> content is raw text, as in a browser
        self.tokenizer = _Tokenizer(
            stream=stream, consume_entities=self.consume_entities, parser=self, **kwargs
        )
        self.reset()
        try:
            self.mainLoop()
        except html5lib_shim.ReparseException:
            self.reset()
            self.mainLoop()


_START_TAG = html5lib_shim.TAG_TOKEN_TYPE_START
_END_TAG = html5lib_shim.TAG_TOKEN_TYPE_END
# Upper case: a name the tokenizer never produces from input (it lowercases tag names).
_FOREIGN_STAND_INS = {"svg": "SVG", "math": "MATH"}
_TreeWalker = html5lib_shim.getTreeWalker("etree")
_local = threading.local()


def _tools():
    """This thread's parser and serializer (html5lib parsers keep state while parsing)."""
    tools = getattr(_local, "tools", None)
    if tools is None:
        tools = _local.tools = SimpleNamespace()
        # Drop-with-content tags must reach the tree builder: that is what makes <script>,
        # <style>, <noscript> ... swallow their content. Any other tag is stripped on sight.
        tools.parser = _Parser(
            tags=ALLOWED_TAGS | DROP_WITH_CONTENT_TAGS,
            strip=True,
            consume_entities=True,
            namespaceHTMLElements=False,
            tree=_TreeBuilder,
        )
        tools.serializer = html5lib_shim.HTMLSerializer(
            quote_attr_values="always",
            quote_char='"',
            use_best_quote_char=False,
            escape_lt_in_attrs=True,
            escape_rcdata=True,
            omit_optional_tags=False,
            alphabetical_attributes=False,
            sanitize=False,
        )
    return tools


def _sanitize_once(html: str) -> tuple[str, list[str], bool]:
    """One parse, clean and serialize; also whether the output is sure to read back the same.

    It is when the parser met no errors. Misnested markup (a <p> in a <table>, an <a> in an
    <a>, ...) can build a tree that does not survive serializing and re-parsing; then the
    caller sanitizes the output again until it stops changing.
    """
    tools = _tools()
    root = tools.parser.parseFragment(html)
    removed: list[str] = []
    _clean_tree(root, removed)
    removed += (
        f"<{name}> tag" if re.fullmatch(r"[a-z][a-z0-9-]*", name) else "malformed tag"
        for name in tools.parser.stripped
    )
    out = tools.serializer.render(_TreeWalker(root)).strip()
    return out, removed, not tools.parser.errors


# --- the tree pass --------------------------------------------------------------------------


def _clean_tree(root, removed: list[str]) -> None:
    """Apply the policy to a parsed fragment in place, noting removals in document order.

    Iterative (an explicit stack), so deeply nested input cannot exhaust Python's recursion.
    """
    root.text = _clean_chars(root.text)
    # Frames: [element, index of the child being looked at, inside a <p>, inside an <a>].
    stack = [[root, 0, False, False]]
    while stack:
        frame = stack[-1]
        parent, i, in_p, in_a = frame
        if i == len(parent):
            stack.pop()
            if stack:
                outer = stack[-1]
                outer[1] = _finish(outer[0], outer[1], parent, removed)
            continue
        child = parent[i]
        child.tail = _clean_chars(child.tail)
        if not isinstance(child.tag, str):  # comment or processing instruction
            _replace(parent, i, child)
            removed.append("comment")
            continue
        name = child.tag
        if name in DROP_WITH_CONTENT_TAGS or name in ("SVG", "MATH") or name.startswith("{"):
            name = name.rpartition("}")[2].lower()  # SVG: see _Tokenizer; {ns}x: never seen
            link = None if name != "iframe" or in_a else _embed_link(child, wrap=not in_p)
            if link is None:
                _replace(parent, i, child)
                removed.append(f"<{name}>")
            else:
                _replace(parent, i, child, [link])
                removed.append("<iframe> (replaced by a link)")
                frame[1] = i + 1
            continue
        child.text = _clean_chars(child.text)
        if name not in ALLOWED_TAGS:  # the tokenizer strips these; kept as a safety net
            _replace(parent, i, child, list(child), child.text)
            removed.append(f"<{name}> tag")
            continue
        _clean_attributes(child, name, removed)
        if name in ("table", "caption", "td", "th"):  # a <p> inside these nests, outside not
            in_p = False
        stack.append([child, 0, in_p or name == "p", in_a or name == "a"])


def _finish(parent, i: int, child, removed: list[str]) -> int:
    """Rules that depend on an element's cleaned content; returns the next index in parent."""
    name = child.tag
    if name in _MEDIA_TAGS and "src" not in child.attrib:
        if name == "img" or name == "source" or not any(c.tag == "source" for c in child):
            _replace(parent, i, child)
            removed.append(f"<{name}>")
            return i
    elif name == "a" and len(child) == 0 and not (child.text or "").strip():
        _replace(parent, i, child, [], child.text)
        removed.append("empty link")
        return i
    elif name == "pre" and child.text:
        # Parsers drop a newline right after <pre> (html5lib not inside table cells): drop them
        # all so that the output reads back the same in either case.
        child.text = child.text.lstrip("\n")
    return i + 1


def _clean_attributes(element, name: str, removed: list[str]) -> None:
    allowed = ALLOWED_ATTRIBUTES.get(name, frozenset())
    kept = {}
    had_rel = False
    for key, value in element.attrib.items():
        if name == "a" and key == "rel":
            had_rel = True
            continue
        if key not in allowed:
            removed.append(f"{key} attribute")
            continue
        value = _clean_chars(value)
        rule = _URL_RULES.get((name, key))
        if rule is not None:
            problem = _url_problem(value, *rule)
            if problem:
                removed.append(f"{problem} in {key}")
                continue
            value = value.strip()
        kept[key] = value
    if name == "a":
        if "href" in kept and _is_absolute(kept["href"]):
            kept["rel"] = _EXTERNAL_REL
        elif had_rel:
            removed.append("rel attribute")
    element.attrib.clear()
    element.attrib.update(kept)


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


def _embed_link(iframe, wrap: bool):
    """A link replacing a known video embed, wrapped in <p> unless already inside one."""
    src = (iframe.get("src") or "").strip()
    for pattern, page in _EMBEDS:
        match = pattern.match(src)
        if match:
            url = page.format(match[1])
            link = iframe.makeelement("a", {"href": url, "rel": _EXTERNAL_REL})
            link.text = f"Video: {url}"
            if not wrap:
                return link
            paragraph = iframe.makeelement("p", {})
            paragraph.append(link)
            return paragraph
    return None


def _replace(parent, i: int, child, new=(), text=None) -> None:
    """Put `text` then the elements `new` where parent[i] is, keeping the text around it."""
    new = list(new)
    lead = text or ""
    if new:
        new[-1].tail = (new[-1].tail or "") + (child.tail or "")
    else:
        lead += child.tail or ""
    if lead:
        if i == 0:
            parent.text = (parent.text or "") + lead
        else:
            parent[i - 1].tail = (parent[i - 1].tail or "") + lead
    parent[i : i + 1] = new


def _clean_chars(text):
    if not text:
        return text
    return _HTML_NEWLINE.sub("\n", _HTML_JUNK.sub("", text))
