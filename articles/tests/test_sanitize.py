"""Tests for articles.sanitize: the stored-HTML policy, XSS vectors, idempotence, plain text.

Pure functions: no database, no Django settings needed (runs with `-p no:django` too).
"""

import random
import re
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import pytest
from lxml import html as lxml_html

from articles.sanitize import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PROTOCOLS,
    ALLOWED_TAGS,
    DROP_WITH_CONTENT_TAGS,
    SanitizeResult,
    clean_text,
    sanitize_html,
    sanitize_report,
    summarize_html,
)

# --- helpers --------------------------------------------------------------------------------

URL_ATTRIBUTES = {"href", "src", "poster", "cite", "action", "formaction", "data", "background"}
BAD_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")
INVISIBLE = re.compile(r"[\x00-\x20\x7f-\xa0\u200b-\u200f\u2028\u2029\ufeff]+")


def reparse(out):
    """The output as another parser reads it (libxml2, nothing stripped), inside a <div>."""
    return lxml_html.fragment_fromstring(out, create_parent="div")


def assert_safe(out):
    """No executable construct survives, read by libxml2 and by Python's own parser."""
    assert "<script" not in out.lower()
    root = reparse(out)
    for element in root.iter():
        if not isinstance(element.tag, str):
            raise AssertionError(f"comment left in {out!r}")
        if element is root:
            continue
        assert element.tag in ALLOWED_TAGS, out
        allowed = ALLOWED_ATTRIBUTES.get(element.tag, frozenset()) | (
            {"rel"} if element.tag == "a" else set()
        )
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), out
            assert name != "style", out
            assert name in allowed, out
            if name in URL_ATTRIBUTES:
                assert not INVISIBLE.sub("", value).lower().startswith(BAD_SCHEMES), out

    class Checker(HTMLParser):
        def handle_starttag(self, tag, attrs):
            assert tag not in DROP_WITH_CONTENT_TAGS, out
            for name, value in attrs:
                assert not name.startswith("on") and name != "style", out
                if name in URL_ATTRIBUTES and value:
                    assert not INVISIBLE.sub("", value).lower().startswith(BAD_SCHEMES), out

    Checker().feed(out)


def assert_idempotent(html):
    once = sanitize_report(html)
    twice = sanitize_report(once.html)
    assert twice.html == once.html
    assert twice.removed == ()
    return once


def corpus_dir():
    """shared/ sits beside the repository (the work tree here, the clone in CI)."""
    repo = Path(__file__).resolve().parents[2]
    for candidate in (repo.parent / "shared" / "corpus" / "voa", Path("/work/shared/corpus/voa")):
        if candidate.is_dir():
            return candidate
    return None


def corpus_body(name):
    """The article HTML of a corpus file: everything after its 4 header lines, read in place."""
    directory = corpus_dir()
    if directory is None or not (directory / name).is_file():
        pytest.skip("shared/corpus/voa is not available")
    return (directory / name).read_text(encoding="utf-8").split("\n", 4)[4]


# --- XSS vectors ----------------------------------------------------------------------------

XSS_VECTORS = {
    "script": "<p>a</p><script>alert(1)</script><p>b</p>",
    "script-mixed-case": "<ScRiPt>alert(1)</sCrIpT>",
    "script-unclosed-at-end": "<p>x</p><script",
    "script-unclosed-with-attr": "<p>x</p><script src=//evil.js",
    "script-split-name": "<scr<script>ipt>alert(1)</script>",
    "script-in-attribute-text": '<p title="<script>alert(1)</script>">x</p>',
    "img-onerror": "<img src=x onerror=alert(1)>",
    "img-onerror-https": '<img src="https://a.example/i.jpg" onerror="alert(1)">',
    "img-src-eval-alt": "<img src=x:alert(alt) onerror=eval(src) alt=0>",
    "img-data-svg": '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    "img-javascript": '<img src="javascript:alert(1)">',
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "svg-foreignobject": "<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>",
    "math-mxss": "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "math-mxss-2": (
        "<math><mtext><table><mglyph><style><!--</style>"
        '<img title="--&gt;&lt;img src=1 onerror=alert(1)&gt;">'
    ),
    "svg-style-mxss": '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>">',
    "href-tab": '<a href="jav&#x09;ascript:alert(1)">x</a>',
    "href-decimal-entities": (
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'
    ),
    "href-entities-no-semicolon": (
        '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">x</a>'
    ),
    "href-hex-and-colon-entity": '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    "href-leading-space": '<a href=" javascript:alert(1)">x</a>',
    "href-leading-controls": '<a href="\x01\x02 javascript:alert(1)">x</a>',
    "href-mixed-case": '<a href="JaVaScRiPt:alert(1)">x</a>',
    "href-newline": '<a href="java\nscript:alert(1)">x</a>',
    "href-nul": '<a href="java\x00script:alert(1)">x</a>',
    "href-nul-entity": '<a href="java&#0;script:alert(1)">x</a>',
    "href-zero-width": '<a href="java\u200bscript:alert(1)">x</a>',
    "href-data": '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "href-vbscript": '<a href="vbscript:msgbox(1)">x</a>',
    "href-file": '<a href="file:///etc/passwd">x</a>',
    "p-with-nul-text": "<p>java\x00script:alert(1)</p>",
    "iframe-javascript": "<iframe src=javascript:alert(1)></iframe>",
    "iframe-srcdoc": '<iframe srcdoc="&lt;script&gt;alert(1)&lt;/script&gt;"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "object-flash": '<object data="https://evil.example/x.swf"><param name=x value=y></object>',
    "embed": '<embed src="https://evil.example/x.swf">',
    "applet": '<applet code="X.class"></applet>',
    "style-import": "<style>@import 'https://evil.example/x.css';</style>",
    "style-attribute": '<div style="background:url(javascript:alert(1))">x</div>',
    "style-expression": '<p style="width:expression(alert(1))">x</p>',
    "noscript-mxss": '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "noembed": "<noembed><img src=x onerror=alert(1)></noembed>",
    "noframes": "<noframes><img src=x onerror=alert(1)></noframes>",
    "template-script": "<template><script>alert(1)</script></template>",
    "form-button": (
        '<form action="javascript:alert(1)"><button formaction="javascript:alert(2)">go</button>'
        "</form>"
    ),
    "input-autofocus": "<input onfocus=alert(1) autofocus>",
    "select-option": "<select><option>1</option><script>alert(1)</script></select>",
    "textarea": "<textarea><script>alert(1)</script></textarea>",
    "details-ontoggle": "<details open ontoggle=alert(1)>x</details>",
    "video-source-onerror": "<video><source onerror=alert(1)></video>",
    "video-onerror-https": '<video src="https://a.example/v.mp4" onerror="alert(1)"></video>',
    "audio-javascript": '<audio src="javascript:alert(1)" controls></audio>',
    "video-poster-javascript": '<video src="https://a.example/v" poster="javascript:x"></video>',
    "base": '<base href="javascript:/">',
    "meta-refresh": '<meta http-equiv=refresh content="0;url=javascript:alert(1)">',
    "link-stylesheet": '<link rel=stylesheet href="https://evil.example/x.css">',
    "comment-img": "<!--<img src=x onerror=alert(1)>-->",
    "comment-conditional": "<!--[if IE]><script>alert(1)</script><![endif]-->",
    "cdata": "<![CDATA[<img src=x onerror=alert(1)>]]>",
    "xmp": "<xmp><script>alert(1)</script></xmp>",
    "plaintext": "<p>ok</p><plaintext><script>alert(1)</script>",
    "isindex": '<isindex action="javascript:alert(1)" type=image>',
    "title": "<title><img src=x onerror=alert(1)></title>",
    "head-body": "<head><script>alert(1)</script></head><body onload=alert(1)><p>x</p></body>",
    "frameset": "<frameset><frame src=javascript:alert(1)></frameset>",
    "canvas-dialog-portal": "<canvas>a</canvas><dialog open>b</dialog><portal src=x>c</portal>",
    "blockquote-cite-javascript": '<blockquote cite="javascript:alert(1)">q</blockquote>',
    "a-formaction": '<a href="/x" formaction="javascript:alert(1)" xlink:href="javascript:x">x</a>',
    "attribute-breakout": '<a href="/x" title=\'"><script>alert(1)</script>\'>x</a>',
    "unquoted-backtick": "<img src=`x` onerror=alert(1)>",
    "nested-tags-in-attr-name": '<p "onmouseover=alert(1)">x</p>',
    "image-tag": "<image src=x onerror=alert(1)>",
    "custom-element": "<custom-el onclick=alert(1)>x</custom-el>",
    "marquee": "<marquee onstart=alert(1)>x</marquee>",
    "body-onload": "<body onload=alert(1)>",
    "table-background": '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
}


@pytest.mark.parametrize("vector", XSS_VECTORS.values(), ids=XSS_VECTORS.keys())
def test_xss_vector_leaves_nothing_executable(vector):
    out = sanitize_html(vector)
    assert_safe(out)
    for tag in re.findall(r"<[^>]*>", out):  # belt and braces: the raw markup itself
        for bad in ("script", " on", "javascript:", "vbscript:", "data:", "style="):
            assert bad not in tag.lower()


@pytest.mark.parametrize("vector", XSS_VECTORS.values(), ids=XSS_VECTORS.keys())
def test_xss_vector_output_is_idempotent_and_reports_nothing_the_second_time(vector):
    assert_idempotent(vector)


def test_script_is_removed_with_its_content():
    result = sanitize_report("<p>a</p><script>alert(1)</script><p>b</p>")
    assert result == SanitizeResult("<p>a</p><p>b</p>", ("<script>",))


VOID_OR_IGNORED = {"base", "embed", "input", "link", "meta", "frame", "frameset", "head"}


@pytest.mark.parametrize("tag", sorted(DROP_WITH_CONTENT_TAGS - VOID_OR_IGNORED - {"plaintext"}))
def test_drop_with_content_tags_leave_no_text_behind(tag):
    result = sanitize_report(f"<div>before<{tag}>SECRET <q>quote</q></{tag}>after</div>")
    assert result.html == "<div>beforeafter</div>"
    assert result.removed == (f"<{tag}>",)


@pytest.mark.parametrize("tag", sorted(VOID_OR_IGNORED))
def test_void_or_ignored_drop_tags_leave_nothing_of_their_own(tag):
    out = sanitize_html(
        f'<div>before<{tag} href="javascript:x" src="https://e.example/x">after</div>'
    )
    assert out == "<div>beforeafter</div>"


def test_plaintext_swallows_the_rest_of_the_document():
    assert sanitize_html("<p>ok</p><plaintext><p>rest</p>") == "<p>ok</p>"


def test_noscript_is_dropped_like_a_browser_with_scripts_would_parse_it():
    out = sanitize_html('<noscript><p title="</noscript><img src=x onerror=alert(1)>">')
    assert out == '"&gt;'


def test_mxss_math_vector_is_dropped_whole():
    result = sanitize_report("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>")
    assert result.html == ""
    assert result.removed[0] == "<math>"


def test_svg_inside_a_table_does_not_hang_the_parser():
    # html5lib's own SVG handling loops forever (eating memory) on this input.
    assert sanitize_html("<table><thead><svg><tfoot></table>") == (
        "<table><thead></thead><tfoot></tfoot></table>"
    )


def test_self_closing_svg_drops_nothing_after_it():
    assert sanitize_report("<p>a<svg/>b</p>") == SanitizeResult("<p>ab</p>", ("<svg>",))


def test_stray_markup_in_a_table_is_moved_before_it_not_lost():
    assert sanitize_html("<table><p>para</p><tr><td>c</td></tr><b>bold</b></table>") == (
        "<p>para</p><b>bold</b><table><tbody><tr><td>c</td></tr></tbody></table>"
    )


def test_svg_and_math_are_renamed_before_parsing_so_foreign_content_never_runs():
    # html5lib's SVG/MathML code is what loops on <table><thead><svg>; it must never see them.
    result = sanitize_report("<table><thead><math><tfoot></table><p>after</p>")
    assert result.html == "<table><thead></thead><tfoot></tfoot></table><p>after</p>"
    assert result.removed == ("<math>",)


def test_svg_tag_the_guard_does_not_rename_is_stripped_so_foreign_content_still_never_runs():
    # svg and math are not in the parser's tags: one the guard misses is stripped on sight.
    result = sanitize_report('<table><thead><svg title="<"><tfoot></table>')
    assert result.html == "<table><thead></thead><tfoot></tfoot></table>"
    assert result.removed == ("<svg> tag",)


def test_top_level_table_keeps_markup_moved_out_of_it_even_if_input_names_the_container():
    # The input is parsed inside a container element that the input itself cannot close.
    assert sanitize_html("<table><p>a</p></table></newsroom-body><table><p>b</p></table>") == (
        "<p>a</p><table></table><p>b</p><table></table>"
    )


def test_deep_misnested_inline_markup_is_sanitized_to_a_fixed_point():
    result = assert_idempotent("<b><i><a href='/x'>" * 2000 + "deep")
    assert "deep" in result.html
    assert result.removed == ()


def test_unclosed_script_at_the_end_becomes_harmless_text():
    assert sanitize_html("<p>x</p><script") == "<p>x</p>&lt;script"


def test_split_script_name_does_not_reassemble():
    assert sanitize_html("<scr<script>ipt>alert(1)</script>") == "ipt&gt;alert(1)"


def test_isindex_leaves_nothing():
    assert sanitize_html('<isindex action="javascript:alert(1)">') == ""


def test_svg_and_math_are_dropped_with_their_content():
    assert sanitize_html("<p>a<svg><text>chart</text></svg><math><mi>x</mi></math>b</p>") == (
        "<p>ab</p>"
    )


# --- reporting ------------------------------------------------------------------------------


def test_report_lists_removals_in_document_order_without_duplicates():
    result = sanitize_report(
        "<script>x</script>"
        '<img src="https://a.example/i.jpg" onerror="alert(1)">'
        '<a href="javascript:alert(1)">link</a>'
        '<p style="color:red">t</p><p style="color:blue">u</p>'
        "<script>y</script>"
    )
    assert result.removed == (
        "<script>",
        "onerror attribute",
        "javascript: URL in href",
        "style attribute",
    )
    assert result.html == ('<img src="https://a.example/i.jpg"><a>link</a><p>t</p><p>u</p>')


def test_report_names_unwrapped_tags_after_other_removals():
    result = sanitize_report('<section><p class="x">a<font color="red">b</font></p></section>')
    assert result.html == "<p>ab</p>"
    assert result.removed == ("class attribute", "<section> tag", "<font> tag")


def test_report_says_when_an_embed_became_a_link_and_when_an_iframe_vanished():
    result = sanitize_report(
        '<iframe src="https://www.youtube.com/embed/qDfxpP7-vCo"></iframe>'
        '<iframe src="https://ads.example/frame"></iframe>'
    )
    assert result.removed == ("<iframe> (replaced by a link)", "<iframe>")


def test_report_for_comments_media_and_empty_links():
    result = sanitize_report(
        '<!-- note --><p>x<img src="data:image/gif;base64,R0lGOD"><a href="/a/1.html"></a></p>'
    )
    assert result.html == "<p>x</p>"
    assert result.removed == ("comment", "data: URL in src", "<img>", "empty link")


def test_sanitize_html_is_the_html_of_the_report():
    for vector in XSS_VECTORS.values():
        assert sanitize_html(vector) == sanitize_report(vector).html


def test_sanitize_result_is_a_frozen_dataclass():
    result = sanitize_report("<p>x</p>")
    assert result == SanitizeResult(html="<p>x</p>", removed=())
    with pytest.raises(AttributeError):
        result.html = "changed"


CLEAN_ARTICLE = (
    "<h2>Heading</h2>"
    '<p>Text with <a href="https://example.com/a?b=1&amp;c=2" rel="noopener noreferrer">a link'
    '</a>, <a href="/articles/other/">an internal one</a>, <a href="#notes">a note</a> and '
    '<a href="mailto:desk@example.com">mail</a>.</p>'
    '<figure><img src="https://cdn.example.com/a.jpg" alt="A photo" width="600" height="400">'
    "<figcaption>Caption &amp; credit</figcaption></figure>"
    '<blockquote cite="https://example.com/speech"><p>Quote</p></blockquote>'
    '<ol start="3" reversed=""><li>three</li><li>two</li></ol>'
    '<table><caption>Results</caption><thead><tr><th scope="col">A</th><th scope="col">B</th>'
    '</tr></thead><tbody><tr><td colspan="2">1 &lt; 2</td></tr></tbody></table>'
    '<p><abbr title="Voice of America">VOA</abbr> <time datetime="2024-11-24">Sunday</time> '
    '<q cite="https://example.com/q">quoted</q> <mark>m</mark> <small>s</small> <sub>1</sub>'
    "<sup>2</sup> <code>c</code> <kbd>k</kbd> <s>old</s> <u>u</u> <cite>Work</cite></p>"
    "<pre>line 1\n  line 2</pre><hr><dl><dt>term</dt><dd>definition</dd></dl><br>"
    '<video src="https://av.example.com/v.mp4" poster="https://av.example.com/p.jpg" controls '
    'width="640" height="360" preload="none"></video>'
    '<audio src="https://av.example.com/a.mp3" controls preload="metadata"></audio>'
    '<video controls><source src="https://av.example.com/v.webm" type="video/webm"></video>'
)


def test_clean_article_passes_through_unchanged_and_reports_nothing():
    assert sanitize_report(CLEAN_ARTICLE) == SanitizeResult(CLEAN_ARTICLE, ())


def test_escaped_ampersand_stays_literal_where_a_bare_one_starts_a_reference():
    # A browser reads `&copy 2024` as "© 2024" but `&amp;copy 2024` as "&copy 2024".
    html = "<p>&amp;copy 2024 &copy 2024 &amp;lt;b&amp;gt;</p>"
    assert sanitize_html(html) == "<p>&amp;copy 2024 © 2024 &amp;lt;b&amp;gt;</p>"
    assert_idempotent(html)


def test_attribute_references_are_read_as_a_browser_reads_them():
    # In attributes, `&not=2` is a query parameter, not "¬=2"; `&amp;copy;` is literal text.
    html = '<a href="/s?a=1&not=2&amp;copy;=3&amp;b=4">x</a>'
    assert sanitize_html(html) == '<a href="/s?a=1&amp;not=2&#38;copy;=3&amp;b=4">x</a>'
    assert_idempotent(html)


def test_entity_normalization_is_not_reported_as_a_removal():
    result = sanitize_report("<p>caf&eacute; &amp; &lt;b&gt; &quot;q&quot; &copy 2024&nbsp;x</p>")
    assert result.removed == ()
    assert result.html == '<p>café &amp; &lt;b&gt; "q" © 2024\u00a0x</p>'
    assert_idempotent(result.html)


# --- allowed markup -------------------------------------------------------------------------


def test_paragraphs_and_inline_markup_keep_their_order():
    html = "<p>one <strong>two</strong> <em>three</em></p><h3>four</h3><ul><li>five</li></ul>"
    assert sanitize_html(html) == html


def test_external_links_get_rel_noopener_noreferrer():
    out = sanitize_html('<a href="https://example.com/">x</a> <a href="//cdn.example.com/">y</a>')
    assert out == (
        '<a href="https://example.com/" rel="noopener noreferrer">x</a> '
        '<a href="//cdn.example.com/" rel="noopener noreferrer">y</a>'
    )


def test_author_rel_and_target_are_normalized_on_external_links():
    result = sanitize_report('<a href="http://example.com/" target="_blank" rel="nofollow">x</a>')
    assert result.html == '<a href="http://example.com/" rel="noopener noreferrer">x</a>'
    assert result.removed == ("target attribute",)


@pytest.mark.parametrize(
    "href", ["/a/1.html", "a/1.html", "../up", "#notes", "?page=2", "mailto:desk@example.com", ""]
)
def test_relative_and_mailto_links_are_kept_without_rel(href):
    html = f'<a href="{href}">x</a>'
    assert sanitize_html(html) == html


def test_author_rel_on_internal_link_is_removed_and_reported():
    result = sanitize_report('<a href="/x" rel="nofollow">x</a>')
    assert result == SanitizeResult('<a href="/x">x</a>', ("rel attribute",))


def test_link_whose_href_was_removed_keeps_its_text():
    result = sanitize_report('<p><a href="javascript:alert(1)" title="t">read more</a></p>')
    assert result.html == '<p><a title="t">read more</a></p>'
    assert result.removed == ("javascript: URL in href",)


@pytest.mark.parametrize(
    "href",
    [
        "&#x6A;avascript&colon;alert(1)",
        "jav&#x09;ascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "\tjavascript:alert(1)",
        "javascript&#x3A;alert(1)",
    ],
)
def test_obfuscated_javascript_href_is_reported_as_javascript(href):
    result = sanitize_report(f'<a href="{href}">x</a>')
    assert result == SanitizeResult("<a>x</a>", ("javascript: URL in href",))


def test_colon_before_any_path_is_not_trusted_as_relative():
    result = sanitize_report('<a href="jаvascript:alert(1)">x</a>')  # Cyrillic а
    assert result == SanitizeResult("<a>x</a>", ("invalid URL in href",))


def test_empty_related_article_anchor_is_removed():
    result = sanitize_report('<p>a</p><a href="/a/5976912.html"></a><p>b</p>')
    assert result == SanitizeResult("<p>a</p><p>b</p>", ("empty link",))


def test_whitespace_only_anchor_leaves_its_space():
    assert sanitize_html('<p>a<a href="/x"> </a>b</p>') == "<p>a b</p>"


def test_anchor_around_an_image_is_kept():
    html = '<a href="/x"><img src="https://cdn.example.com/a.jpg" alt="a"></a>'
    assert sanitize_html(html) == html


def test_anchor_left_empty_by_removals_is_removed():
    assert sanitize_html('<p>x<a href="/x"><img src="data:image/png;base64,AA"></a></p>') == (
        "<p>x</p>"
    )


def test_https_video_and_audio_are_kept():
    html = (
        '<video controls poster="https://av.example.com/p.jpg" '
        'src="https://av.example.com/v.mp4"></video>'
        '<audio src="https://av.example.com/a.mp3" controls></audio>'
    )
    assert sanitize_report(html) == SanitizeResult(
        '<video controls poster="https://av.example.com/p.jpg" '
        'src="https://av.example.com/v.mp4"></video>'
        '<audio src="https://av.example.com/a.mp3" controls></audio>',
        (),
    )


def test_figure_with_image_and_caption_is_kept():
    html = (
        '<figure><img src="https://cdn.example.com/a.jpg" alt="Flood" title="t">'
        "<figcaption>Zhengzhou, July 2021</figcaption></figure>"
    )
    assert sanitize_html(html) == html


def test_root_relative_media_is_kept_for_our_own_renditions():
    html = '<img src="/media/images/2024/11/a.jpg" alt="a">'
    assert sanitize_html(html) == html


@pytest.mark.parametrize(
    ("src", "reason"),
    [
        ("http://cdn.example.com/a.jpg", "http: URL in src"),
        ("a.jpg", "relative URL in src"),
        ("//cdn.example.com/a.jpg", "relative URL in src"),
        ("/\\cdn.example.com/a.jpg", "relative URL in src"),
        ("", "empty URL in src"),
        ("data:image/gif;base64,R0lGODlhAQABAAAAACw=", "data: URL in src"),
    ],
)
def test_image_without_a_usable_https_src_is_removed_entirely(src, reason):
    result = sanitize_report(f'<p>a<img src="{src}" alt="x">b</p>')
    assert result == SanitizeResult("<p>ab</p>", (reason, "<img>"))


def test_lazy_load_placeholder_image_vanishes():
    result = sanitize_report(
        '<p>x</p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" '
        'data-src="https://cdn.example.com/real.jpg" class="lazy">'
    )
    assert result.html == "<p>x</p>"
    assert "<img>" in result.removed


def test_video_with_only_source_children_is_kept():
    html = (
        '<video controls><source src="https://av.example.com/v.mp4" type="video/mp4">'
        "Your browser cannot play this video.</video>"
    )
    assert sanitize_html(html) == html


def test_video_without_any_usable_source_is_removed_with_its_fallback():
    result = sanitize_report(
        '<p>a</p><video controls><source src="http://av.example.com/v.mp4">Fallback</video>'
    )
    assert result == SanitizeResult("<p>a</p>", ("http: URL in src", "<source>", "<video>"))


def test_video_with_bad_poster_keeps_the_video():
    result = sanitize_report(
        '<video src="https://av.example.com/v.mp4" poster="javascript:alert(1)"></video>'
    )
    assert result == SanitizeResult(
        '<video src="https://av.example.com/v.mp4"></video>', ("javascript: URL in poster",)
    )


def test_quotation_cite_allows_only_http_and_https():
    result = sanitize_report(
        '<blockquote cite="http://example.com/s">a</blockquote><q cite="/relative">b</q>'
    )
    assert result == SanitizeResult(
        '<blockquote cite="http://example.com/s">a</blockquote><q>b</q>', ("relative URL in cite",)
    )


def test_only_listed_attributes_survive():
    result = sanitize_report(
        '<td scope="row" colspan="2" id="x">a</td>'
        '<table><tr><th scope="row" class="c" colspan="2" rowspan="1">h</th>'
        '<td scope="row" colspan="2" id="x">d</td></tr></table>'
        '<ol start="2" type="a"><li value="3">x</li></ol><span lang="en" dir="rtl">s</span>'
    )
    assert result.html == (
        'a<table><tbody><tr><th scope="row" colspan="2" rowspan="1">h</th>'
        '<td colspan="2">d</td></tr></tbody></table>'
        '<ol start="2"><li>x</li></ol><span>s</span>'
    )
    assert result.removed == (
        "class attribute",
        "scope attribute",
        "id attribute",
        "type attribute",
        "value attribute",
        "lang attribute",
        "dir attribute",
    )


@pytest.mark.parametrize("tag", ["font", "center", "main", "section", "article", "header"])
def test_other_disallowed_tags_are_unwrapped_keeping_their_text(tag):
    result = sanitize_report(f"<p>a<{tag} class='x'>kept</{tag}>b</p>")
    assert "kept" in result.html
    assert f"<{tag}" not in result.html
    assert result.removed == (f"<{tag}> tag",)
    assert_idempotent(result.html)


def test_custom_element_is_unwrapped():
    result = sanitize_report("<custom-el>text</custom-el>")
    assert result == SanitizeResult("text", ("<custom-el> tag",))


def test_h1_is_unwrapped_because_the_page_title_owns_it():
    assert sanitize_html("<h1>Big</h1><p>x</p>") == "Big<p>x</p>"


# --- video embeds ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "url"),
    [
        (
            "https://www.youtube.com/embed/qDfxpP7-vCo?&&&enablejsapi=1",
            "https://www.youtube.com/watch?v=qDfxpP7-vCo",
        ),
        ("https://youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        (
            "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=30",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        ),
        ("//www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
        ("https://player.vimeo.com/video/76979871?h=abc", "https://vimeo.com/76979871"),
        (
            "https://cdnapisec.kaltura.com/p/1251832/sp/125183200/embedIframeJs/uiconf_id/33031161"
            "/partner_id/1251832?iframeembed=true&amp;playerId=kaltura_player&amp;entry_id="
            "1_d3opbyi5&amp;flashvars[streamerType]=auto",
            "https://cdnapisec.kaltura.com/p/1251832/sp/125183200/embedIframeJs/uiconf_id/33031161"
            "/partner_id/1251832?iframeembed=true&amp;entry_id=1_d3opbyi5",
        ),
        (
            "https://bbc.com/ws/av-embeds/cps/zhongwen/simp/world-54504695/p085lpk8/zh-hans",
            "https://www.bbc.com/ws/av-embeds/cps/zhongwen/simp/world-54504695/p085lpk8/zh-hans",
        ),
    ],
)
def test_known_video_iframe_becomes_a_link_paragraph(src, url):
    result = sanitize_report(
        f'<p>before</p><iframe src="{src}" width="560" style="border:0" allowfullscreen>'
        f'<a href="{src}">fallback</a></iframe><p>after</p>'
    )
    assert result.html == (
        f'<p>before</p><p><a href="{url}" rel="noopener noreferrer">Video: {url}</a></p>'
        "<p>after</p>"
    )
    assert result.removed == ("<iframe> (replaced by a link)",)
    assert_idempotent(result.html)


def test_podcast_embed_becomes_an_audio_link():
    out = sanitize_html(
        '<iframe src="https://open.firstory.me/embed/story/cldnmo0u10d8m01t4cozzhjfq"></iframe>'
    )
    url = "https://open.firstory.me/story/cldnmo0u10d8m01t4cozzhjfq"
    assert out == f'<p><a href="{url}" rel="noopener noreferrer">Audio: {url}</a></p>'
    assert_idempotent(out)


def test_video_iframe_inside_a_paragraph_becomes_an_inline_link():
    out = sanitize_html(
        '<p>Watch: <iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe> now</p>'
    )
    url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    assert out == f'<p>Watch: <a href="{url}" rel="noopener noreferrer">Video: {url}</a> now</p>'
    assert_idempotent(out)


def test_video_iframe_inside_a_link_is_dropped_rather_than_nesting_links():
    result = sanitize_report(
        '<a href="/v">x<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ"></iframe></a>'
    )
    assert result == SanitizeResult('<a href="/v">x</a>', ("<iframe>",))


@pytest.mark.parametrize(
    "src",
    [
        "https://www.youtube.com/embed/short",
        "https://www.youtube.com/embed/dQw4w9WgXcQextra",
        'https://www.youtube.com/embed/dQw4w9WgX"Q',
        "https://www.youtube.com.evil.example/embed/dQw4w9WgXcQ",
        "https://evil.example/?u=https://www.youtube.com/embed/dQw4w9WgXcQ",
        "javascript:alert(1)//www.youtube.com/embed/dQw4w9WgXcQ",
        "https://player.vimeo.com/video/abc",
        "https://ads.example/frame.html",
        "https://cdnapisec.kaltura.com/p/1/sp/100/embedIframeJs/uiconf_id/2/partner_id/1?entry_id=x",
        "https://cdnapisec.kaltura.com.evil.example/p/1/sp/100/embedIframeJs/uiconf_id/2"
        "/partner_id/1?entry_id=1_abcd1234",
        "https://www.bbc.com/ws/av-embeds/../../evil/p085lpk8",
        "https://open.firstory.me/embed/story/short",
    ],
)
def test_other_iframes_vanish(src):
    result = sanitize_report(f'<p>a</p><iframe src="{src}"></iframe><p>b</p>')
    assert result == SanitizeResult("<p>a</p><p>b</p>", ("<iframe>",))


# --- text hygiene inside HTML ---------------------------------------------------------------


def test_control_characters_and_noncharacters_are_removed_from_html_text():
    out = sanitize_html("<p>a\x01b\x08c\x0bd\x1fe\x7ff\x85g\x9fh\ufdd0i\ufffej\U0010ffffk</p>")
    assert out == "<p>abcdefghijk</p>"


def test_entity_encoded_controls_are_removed_too():
    assert sanitize_html("<p>a&#1;b&#x9F;c</p>") == "<p>abŸc</p>"  # &#x9F; means Ÿ in HTML


def test_nul_is_dropped():
    assert sanitize_html("<p>a\x00b</p>") == "<p>ab</p>"


def test_line_and_paragraph_separators_become_newlines():
    assert sanitize_html("<p>a\u2028b\u2029c</p>") == "<p>a\nb\nc</p>"


def test_carriage_returns_become_newlines_so_output_reads_back_the_same():
    assert sanitize_html("<p title='x&#13;y'>a&#13;b\r\nc</p>") == "<p>a\nb\nc</p>"
    assert sanitize_html('<abbr title="x&#13;y">a</abbr>') == '<abbr title="x\ny">a</abbr>'


def test_tabs_and_newlines_are_kept_in_html_text():
    assert sanitize_html("<pre>a\tb\nc</pre>") == "<pre>a\tb\nc</pre>"


def test_astral_noncharacters_are_removed_and_other_astral_characters_kept():
    assert sanitize_html("<p>a\U0001fffe😀\U0010ffff𠀀</p>") == "<p>a😀𠀀</p>"


def test_lone_surrogates_are_removed():
    assert sanitize_html("<p>a\ud800b</p>") == "<p>ab</p>"


def test_attribute_values_are_cleaned_and_escaped():
    out = sanitize_html('<img src="https://cdn.example.com/a.jpg" alt="a\x01 &quot;b&quot; <c>">')
    assert out == '<img src="https://cdn.example.com/a.jpg" alt="a &quot;b&quot; &lt;c>">'


def test_comments_are_removed():
    assert sanitize_report("<p>a<!-- secret -->b</p>") == SanitizeResult("<p>ab</p>", ("comment",))


def test_pre_leading_newlines_do_not_drift_between_passes():
    for body in ("<pre>\n\ncode</pre>", "<table><tr><td><pre>\n\ncode</pre></td></tr></table>"):
        assert "<pre>code</pre>" in sanitize_html(body)
        assert_idempotent(body)


def test_empty_and_none_input():
    assert sanitize_html("") == ""
    assert sanitize_html(None) == ""
    assert sanitize_report("   ") == SanitizeResult("", ())
    assert summarize_html("") == ""
    assert clean_text(None) == ""


def test_non_string_input_is_rejected():
    with pytest.raises(TypeError):
        sanitize_html(b"<p>x</p>")


# --- idempotence on misnested markup ----------------------------------------------------------

MISNESTED = [
    "<h2><section><h3>x</h3></section></h2>",
    "<p><marquee><p>y</marquee></p>",
    "<ul><li>a<section><li>b</section></li></ul>",
    "<table><tr><td>a</td></tr><p>stray</p><a href='/x'>link</a></table>",
    "<a href='/1'>one<table><tr><td><a href='/2'>two</a></td></tr></table></a>",
    "<u><table><dt><dd><pre>\n<h3></pre><option><div><dd><code>x</code></table>",
    "<b><i>bold italic</b> italic</i>",
    "<p><a href='/x'>x</p><p>y</a></p>",
    "<a href='/x'>x<div>block</div></a>",
    "<td>cell outside table</td>",
    "<table><tr><td><pre>\n<listing>code</listing></pre></td></tr></table>",
    "<p>a<table><tr><td>b</td></tr></table>c</p>",
    "<li>a</li><dt>b</dt><dd>c</dd><tr><td>d</td></tr>",
    "<ol><li><p>a</li></ol>",
    "<h2><p>x</h2></p>",
    "</p></br><p>",
    "<select><option><b>x</b></option></select><b>y",
]


@pytest.mark.parametrize("html", MISNESTED)
def test_misnested_markup_is_idempotent(html):
    assert_safe(assert_idempotent(html).html)


def test_tag_soup_is_idempotent_safe_and_stable():
    """Seeded random tag soup over the allowlist, the drop list and unknown tags."""
    pieces = [
        *(f"<{tag}>" for tag in sorted(ALLOWED_TAGS | DROP_WITH_CONTENT_TAGS)),
        *(f"</{tag}>" for tag in sorted(ALLOWED_TAGS | DROP_WITH_CONTENT_TAGS)),
        *("<section>", "</section>", "<font>", "<marquee>", "<details>", "<nobr>", "<h1>"),
        *("<listing>", "<image>", "<col>"),
        '<a href="https://e.example/x">',
        '<a href="javascript:x">',
        '<img src="https://e.example/i.jpg">',
        '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ">',
        '<p style="x" onclick="y">',
        "text",
        " ",
        "\n",
        "&amp;",
        "&lt;",
        "&#13;",
        "\u2028",
        "<!--c-->",
    ]
    rng = random.Random(20240601)
    for _ in range(300):
        soup = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        once = assert_idempotent(soup)
        assert_safe(once.html)


def test_deep_nesting_does_not_hit_the_recursion_limit():
    out = sanitize_html("<div>" * 3000 + "deep" + "</div>" * 3000)
    assert out.count("<div>") == 3000
    assert "deep" in out


def test_concurrent_use_from_threads_gives_the_same_results():
    vectors = [*XSS_VECTORS.values(), CLEAN_ARTICLE] * 3
    expected = [sanitize_report(v) for v in vectors]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(sanitize_report, vectors)) == expected


# --- named allowlists -----------------------------------------------------------------------


def test_allowlists_are_named_frozensets():
    assert isinstance(ALLOWED_TAGS, frozenset)
    assert isinstance(ALLOWED_PROTOCOLS, frozenset)
    assert isinstance(DROP_WITH_CONTENT_TAGS, frozenset)
    assert isinstance(ALLOWED_ATTRIBUTES, dict)
    assert all(isinstance(v, frozenset) for v in ALLOWED_ATTRIBUTES.values())
    assert set(ALLOWED_ATTRIBUTES) <= ALLOWED_TAGS
    assert not ALLOWED_TAGS & DROP_WITH_CONTENT_TAGS
    assert {"http", "https", "mailto"} == ALLOWED_PROTOCOLS
    assert {"h1", "iframe", "script", "style", "form", "svg"}.isdisjoint(ALLOWED_TAGS)
    assert all(
        not a.startswith("on") and a not in {"class", "id", "style"}
        for attrs in ALLOWED_ATTRIBUTES.values()
        for a in attrs
    )


# --- clean_text -----------------------------------------------------------------------------


def test_clean_text_keeps_angle_brackets_and_ampersands():
    assert clean_text("A <b> & C") == "A <b> & C"


def test_clean_text_maps_line_separators_newlines_and_tabs_to_one_space():
    assert clean_text("a\u2028b\u2029c\nd\r\ne\tf") == "a b c d e f"


def test_clean_text_collapses_whitespace_and_strips_the_ends():
    assert clean_text("  Floods \n\n  in   Henan \t ") == "Floods in Henan"


def test_clean_text_removes_control_characters():
    assert clean_text("a\x00b\x07c\x1bd\x7fe\x80f\x9fg") == "abcdefg"


def test_clean_text_removes_zero_width_and_bidi_override_junk():
    assert clean_text("ad\u200bmin\ufeff \u202eevil\u202c \u2066x\u2069 w\u2060j") == (
        "admin evil x wj"
    )


def test_clean_text_keeps_zwj_and_zwnj():
    persian = "می\u200cخواهم"  # ZWNJ inside a Persian word
    family = "👨\u200d👩\u200d👧"  # ZWJ emoji sequence
    assert clean_text(persian) == persian
    assert clean_text(family) == family


def test_clean_text_keeps_directional_marks():
    hebrew = "\u05e9\u05dc\u05d5\u05dd (2024)\u200f"  # ends with a right-to-left mark
    assert clean_text(hebrew) == hebrew


def test_clean_text_nfc_normalizes():
    assert clean_text("Cafe\u0301") == "Café"
    assert clean_text("한국") == "한국"
    assert clean_text("\u1112\u1161\u11ab") == "한"


def test_clean_text_keeps_a_single_no_break_or_ideographic_space():
    assert clean_text("10\u00a0km") == "10\u00a0km"
    assert clean_text("时事大家谈\u3000河南") == "时事大家谈\u3000河南"
    assert clean_text("a \u00a0 b") == "a b"


def test_clean_text_is_idempotent():
    for text in ["A <b> & C", " x\u2028y ", "Cafe\u0301 \u202e", "a\u00a0 \u3000b", "\x00"]:
        assert clean_text(clean_text(text)) == clean_text(text)


def test_clean_text_of_chinese_title():
    assert clean_text(" 时事大家谈: 河南水深火热，习近平在西藏考察什么？\n") == (
        "时事大家谈: 河南水深火热，习近平在西藏考察什么？"
    )


# --- summarize_html -------------------------------------------------------------------------


def test_summary_of_short_body_is_its_text():
    assert summarize_html("<p>Rain &amp; wind.</p>") == "Rain & wind."


def test_summary_cuts_english_on_a_word_boundary_with_an_ellipsis():
    body = "<p>" + " ".join(["flooding"] * 60) + "</p>"
    summary = summarize_html(body, limit=50)
    assert summary.endswith("…")
    assert len(summary) <= 51
    assert summary[:-1] == " ".join(["flooding"] * 5)


def test_summary_cuts_cjk_at_the_limit():
    body = "<p>" + "郑州洪灾伤亡惨重" * 40 + "</p>"
    summary = summarize_html(body, limit=30)
    assert summary == ("郑州洪灾伤亡惨重" * 4)[:30] + "…"


def test_summary_joins_first_paragraphs_and_skips_other_blocks():
    body = (
        "<div><i>Wed, 28 Jul 2021</i></div><div><small>caption</small></div>"
        "<p>First  paragraph.</p><p>Second\nparagraph.</p><p>Third.</p>"
    )
    assert summarize_html(body, limit=35) == "First paragraph. Second paragraph.…"
    assert summarize_html(body) == "First paragraph. Second paragraph. Third."


def test_summary_falls_back_to_all_text_without_paragraphs():
    assert summarize_html("<div>Just <b>text</b></div>") == "Just text"
    assert summarize_html("plain words") == "plain words"


def test_summary_never_contains_markup_or_script_text():
    assert summarize_html("<p>a<script>secret()</script> &lt;b&gt;</p>") == "a <b>"


def test_summary_of_a_long_word_is_cut_at_the_limit():
    assert summarize_html("<p>" + "x" * 300 + "</p>", limit=10) == "x" * 10 + "…"


# --- real articles (read in place from shared/corpus/voa) -----------------------------------


def test_real_article_with_video_audio_and_youtube_iframe():
    body = corpus_body("1039200.md")
    result = assert_idempotent(body)
    out = result.html
    assert_safe(out)
    assert '<video poster="https://images.weserv.nl?url=gdb.voanews.com/' in out
    assert '_240p.mp4" controls></video>' in out
    assert '<audio src="https://av.voanews.com/clips/' in out
    assert '.mp3" controls></audio>' in out
    assert "<iframe" not in out
    watch = "https://www.youtube.com/watch?v=qDfxpP7-vCo"
    assert f'<p><a href="{watch}" rel="noopener noreferrer">Video: {watch}</a></p>' in out
    assert 'href="/a/5976912.html"' not in out  # the empty related-article anchor
    assert "style=" not in out and "class=" not in out and "target=" not in out
    assert '<a href="https://bit.ly/3iflXL3" rel="noopener noreferrer">' in out
    assert out.index("郑州洪灾伤亡惨重") < out.index("中共坚持")  # paragraph order
    assert result.removed == (
        "style attribute",
        "empty link",
        "class attribute",
        "target attribute",
        "<iframe> (replaced by a link)",
    )
    # The first paragraph is 136 characters; the space joining it to the next is the last
    # word boundary before 200, so the summary ends with that paragraph.
    summary = summarize_html(out)
    assert summary.startswith("郑州洪灾伤亡惨重，河南其他地区仍然一片汪洋")
    assert summary.endswith("也罕见地对河南保持距离和沉默。…")
    assert len(summarize_html(out, limit=100)) == 101


def test_real_article_with_relay_footer():
    body = corpus_body("1010800.md")
    out = assert_idempotent(body).html
    assert_safe(out)
    assert '<img src="https://images.weserv.nl?url=gdb.voanews.com/' in out
    assert "<small>日本星期天在新潟县" in out
    assert "style=" not in out
    assert '<a href="https://feedx.net" rel="noopener noreferrer">https://feedx.net</a>' in out
    assert out.endswith("<br></div>")


def test_every_corpus_article_is_safe_and_idempotent():
    directory = corpus_dir()
    if directory is None:
        pytest.skip("shared/corpus/voa is not available")
    files = sorted(directory.glob("*.md"))
    assert files
    for path in files:
        body = path.read_text(encoding="utf-8").split("\n", 4)[4]
        out = assert_idempotent(body).html
        assert_safe(out)
        assert "<p>" in out
