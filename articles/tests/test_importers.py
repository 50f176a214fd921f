"""The parser: every trap of the archiver's format, on small files in data/ and the real seed."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles.ingest.parser import (
    ImportFormatError,
    parse_article,
    slug_and_id_from_url,
    source_for_host,
    unwrap_image_url,
)

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_eea83d68b8caacf9.txt"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "voa"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def parse(name, **kwargs):
    path = DATA / name
    return parse_article(path.read_bytes(), str(path), now=NOW, **kwargs)


def parse_error(name, **kwargs):
    with pytest.raises(ImportFormatError) as caught:
        parse(name, **kwargs)
    return caught.value


def test_seed_round_trip_fields():
    article = parse_article(SEED.read_bytes(), SEED.name, now=NOW)
    assert article.title == "巴黎人工智能行动峰会在即，美中竞争较量惹关注"
    assert article.source_url.endswith("/7968583.html")
    assert article.source_id == "7968583"
    assert article.slug.startswith("trump-s-ai-ambition-and-china-s-deepseek")
    assert article.captured_at == datetime(2025, 2, 9, 16, 59, 3, tzinfo=UTC)
    assert article.published_at == datetime(2025, 2, 9, 16, 47, 40, tzinfo=UTC)
    assert article.dateline == "华盛顿"
    assert [(i.role, i.url) for i in article.images] == [
        (
            "lead",
            "https://gdb.voanews.com/51d023ef-1a95-43fd-a030-70b93c47b938_r1_s_w900.jpg",
        )
    ]
    assert article.images[0].caption.startswith("2024年9月10日在首尔举行的军事领域")
    assert article.body.count("<p>") == 20
    assert article.body.startswith("<p>为期两天的人工智能")
    assert "Narendra MNodi" in article.body
    assert "华盛顿 —" not in article.body
    assert article.warnings == ()


def test_byte_order_mark_is_ignored():
    assert parse("bom.txt").title == "带BOM的标题"


def test_crlf_line_endings_parse_like_lf():
    article = parse("crlf.txt")
    assert article.title == "CRLF标题"
    assert "\r" not in article.body
    assert article.published_at == datetime(2025, 2, 9, 16, 47, 40, tzinfo=UTC)


def test_title_may_hold_brackets_parentheses_and_markup_characters():
    article = parse("brackets_title.txt")
    assert article.title == "标题 [内含] 方括号](和括号) & <b>"
    assert article.source_url == "https://www.voachinese.com/a/brackets-20250209/7968004.html"


def test_title_broken_across_two_lines_is_rejected_with_its_line():
    error = parse_error("multiline_title.txt")
    assert error.line == 2
    assert "broken across lines 2-3" in error.reason


def test_query_string_is_kept_in_the_source_url():
    assert parse("query_string.txt").source_url.endswith("7968005.html?utm_source=rss&id=1")


def test_missing_image_and_caption_are_fine():
    article = parse("no_image.txt")
    assert article.images == ()
    assert article.body.count("<p>") == 2


def test_bare_text_before_first_paragraph_is_the_dateline():
    article = parse("minimal.txt")
    assert article.dateline == "华盛顿"
    assert article.body == "<p>第一段，人工智能。</p><p>第二段。</p>"


@pytest.mark.parametrize("name", ["gbk.txt", "big5.txt"])
def test_legacy_encoding_fails_with_byte_offset_and_hint(name):
    error = parse_error(name)
    assert error.file.endswith(name)
    assert error.line == 2
    assert "not valid utf-8" in error.reason
    assert "offset 22" in error.reason
    assert "--encoding" in error.reason


def test_legacy_encoding_imports_with_encoding_option():
    assert parse("gbk.txt", encoding="gbk").title == "国标编码文件"
    assert parse("big5.txt", encoding="big5").title == "繁體編碼檔案"


def test_unknown_encoding_is_reported():
    assert "unknown encoding" in parse_error("minimal.txt", encoding="klingon").reason


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("empty.txt", 1, "empty file"),
        ("whitespace_only.txt", 1, "empty file"),
        ("binary.txt", 1, "binary file"),
        ("truncated_after_title.txt", 2, "no ------ rule"),
        ("truncated_no_body.txt", 5, "no article body"),
        ("bad_header.txt", 1, "not epoch milliseconds"),
        ("bad_date.txt", 5, "does not parse"),
        ("future_date.txt", 5, "lies in the future"),
        ("future_header.txt", 1, "lies in the future"),
        ("javascript_url.txt", 2, "must be http or https, not javascript:"),
        ("data_url.txt", 2, "must be http or https, not data:"),
        ("ftp_url.txt", 2, "must be http or https, not ftp:"),
    ],
)
def test_bad_file_error_names_file_line_and_reason(name, line, reason):
    error = parse_error(name)
    assert error.file == str(DATA / name)
    assert error.line == line
    assert reason in error.reason
    assert str(error).startswith(f"{DATA / name}:{line}: ")


def test_nan_capture_time_is_a_warning_not_an_error():
    article = parse("nan_header.txt")
    assert article.captured_at is None
    assert article.published_at is None
    assert any("NaN" in w for w in article.warnings)


def test_date_without_zone_falls_back_to_capture_time_and_says_so():
    article = parse("local_time.txt")
    assert article.published_at == article.captured_at
    assert any("no time of day or zone" in w for w in article.warnings)


def test_dw_byline_and_iso_date():
    article = parse("dw_byline.txt")
    assert article.byline == "Jane Doe"
    assert article.published_at == datetime(2025, 2, 18, 8, 55, 31, 417000, tzinfo=UTC)
    assert article.source_id == "71651234"
    assert article.slug == "dw-71651234"


def test_front_matter_and_multiline_wrapper_div():
    article = parse("front_matter.txt")
    assert article.title == "前置元数据"
    assert article.published_at == datetime(2025, 2, 9, 16, 47, 40, tzinfo=UTC)
    assert article.body.count("<p>") == 2


def test_bbc_main_wrapper_images_and_advert_section():
    article = parse("bbc_main.txt")
    assert [(i.role, i.url, i.caption) for i in article.images] == [
        ("lead", "https://ichef.bbci.co.uk/news/1024/a.jpg", "BBC 图片说明"),
        ("inline", "https://ichef.bbci.co.uk/news/1024/b.jpg", ""),
    ]
    assert "广告" not in article.body
    assert "<main" not in article.body
    assert "weserv" not in article.body


def test_lazy_placeholder_images_use_the_real_source_and_noscript_goes():
    article = parse("cdt_lazy.txt")
    assert [i.url for i in article.images] == [
        "https://chinadigitaltimes.net/chinese/files/2025/02/pic.jpg"
    ]
    assert "data:" not in article.body
    assert "noscript" not in article.body


def test_control_characters_and_line_separators_are_removed():
    article = parse("control_chars.txt")
    assert article.title == "控制字符 标题"
    assert "\x0b" not in article.body and "\x00" not in article.body
    assert "\u2028" not in article.body


def test_right_to_left_article_parses():
    article = parse("persian_rtl.txt")
    assert article.title == "خبر فارسی درباره هوش مصنوعی"
    assert article.host == "radiofarda.com"


def test_chinese_url_path_gives_a_non_empty_ascii_slug():
    url = "https://www.rfi.fr/cn/%E4%B8%AD%E5%9B%BD/20250209-%E6%A0%87%E9%A2%98"
    slug, source_id = slug_and_id_from_url(url)
    assert slug.startswith("rfi-") and slug.isascii() and len(slug) > 4
    assert source_id == ""
    assert slug_and_id_from_url(url) == (slug, source_id)


@pytest.mark.parametrize(
    ("wrapped", "original"),
    [
        (
            "https://images.weserv.nl?url=gdb.voanews.com/a_w900.jpg",
            "https://gdb.voanews.com/a_w900.jpg",
        ),
        ("https://images.weserv.nl/?url=ichef.bbci.co.uk/b.jpg", "https://ichef.bbci.co.uk/b.jpg"),
        ("https://images.weserv.nl/?url=https%3A%2F%2Fx.org%2Fc.png", "https://x.org/c.png"),
        ("https://images.weserv.nl/?url=ssl:x.org/d.png", "https://x.org/d.png"),
        ("https://images.weserv.nl/?url=javascript:alert(1)", ""),
        ("javascript:alert(1)", ""),
        ("data:image/png;base64,AAAA", ""),
        ("http://plain.example/e.jpg", "https://plain.example/e.jpg"),
    ],
)
def test_image_proxy_is_unwrapped_to_an_https_original(wrapped, original):
    assert unwrap_image_url(wrapped) == original


def test_source_map_picks_the_longest_matching_domain():
    sources = {
        "nytimes.com": {"name": "NYT", "language": "en"},
        "cn.nytimes.com": {"name": "NYT Chinese", "language": "zh-Hans"},
    }
    assert source_for_host("cn.nytimes.com", sources, "en") == ("NYT Chinese", "zh-Hans")
    assert source_for_host("www.nytimes.com", sources, "en") == ("NYT", "en")
    assert source_for_host("unknown.example", sources, "en") == ("unknown.example", "en")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_every_corpus_article_parses_with_body_and_date():
    files = sorted(CORPUS.glob("*.md"))
    assert len(files) == 40
    for path in files:
        article = parse_article(path.read_bytes(), path.name, now=NOW)
        assert article.published_at is not None, path.name
        assert "<p" in article.body, path.name
        assert "feedx" not in article.body, path.name
        assert "weserv" not in article.body, path.name


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
def test_lead_video_stays_as_media_and_double_breaks_become_paragraphs():
    video = parse_article((CORPUS / "1039200.md").read_bytes(), "1039200.md", now=NOW)
    assert video.body.startswith("<figure><video")
    assert 'poster="https://gdb.voanews.com/' in video.body
    breaks = parse_article((CORPUS / "1009200.md").read_bytes(), "1009200.md", now=NOW)
    assert "<br><br>" not in breaks.body.replace("<br />", "<br>")
    assert breaks.body.count("<p>") > 10
