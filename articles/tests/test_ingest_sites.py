"""Per-site extraction: each source's date, byline, lead picture, boilerplate and links.

The fixtures in data/sites/ reproduce each site's markup (see docs/import-format.md) with
placeholder text.
"""

from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest

from articles.ingest.parser import ImportFormatError, image_host_refusal, parse_article
from articles.ingest.sites import GENERIC, site_for_url
from articles.sanitize import sanitize_html

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def parse(name):
    path = DATA / name
    return parse_article(path.read_bytes(), str(path), now=NOW)


def text(html):
    return lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div").text_content()


def links(html):
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return [a.get("href") for a in root.iter("a")]


@pytest.mark.parametrize(
    ("url", "site"),
    [
        ("https://www.voachinese.com/a/x/1.html", "voa"),
        ("https://www.rfa.org/mandarin/x.html", "rfa"),
        ("https://www.rfi.fr/cn/x", "rfi"),
        ("https://www.dw.com/zh/x/a-1", "dw"),
        ("https://cn.nytimes.com/world/x/", "nyt"),
        ("http://www.bbc.com/zhongwen/simp/world-1", "bbc"),
        ("https://chinadigitaltimes.net/chinese/1.html", "cdt"),
        ("https://example.org/news/1.html", "generic"),
        ("https://notbbc.com/x", "generic"),
    ],
)
def test_the_extractor_is_chosen_by_the_source_host(url, site):
    assert site_for_url(url).name == site


def test_unknown_hosts_take_the_generic_path():
    assert site_for_url("https://example.org/a.html") is GENERIC


def test_voa_date_lead_caption_dateline_and_relay_footer():
    article = parse("sites/voa.txt")
    assert article.published_at == datetime(2025, 2, 9, 16, 47, 40, tzinfo=UTC)
    assert article.dateline == "华盛顿"
    [lead] = article.images
    assert (lead.url, lead.caption) == (
        "https://gdb.voanews.com/sample_w900.jpg",
        "图片说明：样例。",
    )
    assert "feedx" not in article.body and "获取更多RSS" not in article.body
    assert links(article.body) == ["https://www.voachinese.com/a/7968000.html"]  # empty one gone
    assert "第一段样例文字。" in text(article.body) and "相关报道" in text(article.body)


def test_rfa_byline_from_the_credit_line_and_plone_markup_removed():
    article = parse("sites/rfa.txt")
    assert article.byline == "甲乙 丙丁"
    assert "记者" not in text(article.body) and "责编" not in text(article.body)
    assert "相关报道甲" not in text(article.body)  # the related-story list
    assert "icon-zoom" not in article.body and "zoomattribute" not in article.body
    [picture] = article.images
    assert picture.url == (
        "https://www.rfa.org/mandarin/yataibaodao/sample/photo.jpg/@@images/abc.jpeg"
    )
    assert picture.caption == "图片说明：样例。 (样例来源)"
    assert links(article.body) == ["https://www.rfa.org/mandarin/yataibaodao/sample/other-3.html"]
    assert "第一段样例文字。" in text(article.body) and "第二段样例文字" in text(article.body)
    assert any("no publish date" in w for w in article.warnings)


def test_rfi_paris_local_time_becomes_utc_and_share_block_goes():
    article = parse("sites/rfi.txt")
    # 10:44 in Paris on 26 September 2023 is summer time, UTC+2.
    assert article.published_at == datetime(2023, 9, 26, 8, 44, tzinfo=UTC)
    [lead] = article.images
    assert lead.url == "https://s.rfi.fr/media/display/sample/w:1280/p:16x9/sample.JPG"
    assert "分享" not in text(article.body)
    assert "facebook" not in article.body and "selfpromo" not in article.body
    assert "share-button" not in article.body
    assert "导语样例文字。" in text(article.body) and "第二段样例文字。" in text(article.body)
    assert article.byline == "样例记者" and "作者" not in text(article.body)


def test_rfi_winter_time_is_utc_plus_one():
    data = (DATA / "sites/rfi.txt").read_bytes().replace(b"26/09/2023", b"20/11/2022")
    article = parse_article(data, "rfi-winter.txt", now=NOW)
    assert article.published_at == datetime(2022, 11, 20, 9, 44, tzinfo=UTC)


def test_dw_byline_iso_date_api_links_and_promo_lines():
    article = parse("sites/dw.txt")
    assert article.byline == "Sample Author"
    assert article.published_at == datetime(2025, 2, 15, 8, 3, 55, 243000, tzinfo=UTC)
    [lead] = article.images
    assert (lead.url, lead.caption) == (
        "https://static.dw.com/image/71588384_303.jpg",
        "图片说明：样例。",
    )
    assert links(article.body) == ["https://www.dw.com/zh/a-71590287"]  # the self-link is plain
    assert "api.dw.com" not in article.body
    assert "本文" in text(article.body)
    assert "DW中文有" not in text(article.body) and "版权声明" not in text(article.body)
    assert "延申阅读" not in text(article.body)
    assert "第二段样例文字" in text(article.body)


def test_dw_null_placeholder_is_not_part_of_the_byline():
    data = (DATA / "sites/dw.txt").read_bytes()
    named = parse_article(data.replace(b"<i>Sample", b"<i>null Sample"), "dw-null.txt", now=NOW)
    assert named.byline == "Sample Author"
    alone = parse_article(data.replace(b"<i>Sample Author", b"<i>null"), "dw-null2.txt", now=NOW)
    assert alone.byline == ""
    assert alone.published_at == datetime(2025, 2, 15, 8, 3, 55, 243000, tzinfo=UTC)


def test_nyt_byline_beijing_time_figure_credit_and_english_version_link():
    article = parse("sites/nyt.txt")
    assert article.byline == "SAMPLE WRITER"
    assert article.published_at == datetime(2025, 2, 13, 21, 24, tzinfo=UTC)  # 05:24 in Beijing
    [lead] = article.images
    assert lead.url == "https://static01.nyt.com/images/2025/02/23/sample-master1050.jpg"
    assert (lead.caption, lead.credit) == (
        "图片说明样例。",
        "Sample Photographer for The New York Times",
    )
    body = text(article.body)
    assert "2025年2月14日" not in body and "SAMPLE WRITER" not in body
    assert "英文版" not in body
    assert "Sample Writer是样例作者。" in body and "第二段相关报道样例。" in body
    assert links(article.body) == ["https://cn.nytimes.com/world/20250101/other/"]


def test_nyt_naive_time_after_the_capture_is_not_trusted():
    data = (
        (DATA / "sites/nyt.txt")
        .read_bytes()
        .replace(b"2025-02-14 05:24:00", b"2025-02-14 23:00:00")
    )
    article = parse_article(data, "nyt-late.txt", now=NOW)
    assert article.published_at == article.captured_at
    assert any("usual zone" in w for w in article.warnings)


def test_bbc_figure_credit_relative_time_ads_related_list_and_dividers():
    article = parse("sites/bbc.txt")
    [lead] = article.images
    assert lead.url == "https://ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_sample.jpg"
    assert (lead.caption, lead.credit) == ("图片说明样例。", "Sample Agency")
    assert article.byline == "样例记者（Sample Writer）"
    body = text(article.body)
    assert "BBC样例记者" not in body
    assert "分钟前" not in body and "最近更新" not in body and "图像来源" not in body
    assert "feedx" not in article.body
    assert "相关报道甲" not in body and "grey_line" not in article.body
    assert "advertisement" not in article.body
    assert "导语样例文字。" in body and "小标题样例" in body and "第二段样例文字。" in body
    assert links(article.body) == ["https://example.org/report"]
    assert article.published_at == article.captured_at  # a day only: the capture time is used


def test_bbc_picture_without_proxy_comes_from_srcset():
    data = (DATA / "sites/bbc.txt").read_bytes()
    data = data.replace(
        b' src="https://images.weserv.nl/?url=ichef.bbci.co.uk/news/640/cpsprodpb/1/production/_1_sample.jpg"',
        b"",
    )
    [lead] = parse_article(data, "bbc-srcset.txt", now=NOW).images[:1]
    assert lead.url == "https://ichef.bbci.co.uk/news/800/cpsprodpb/1/production/_1_sample.jpg"


def test_cdt_lazy_lead_archive_card_byline_and_addtoany():
    article = parse("sites/cdt.txt")
    assert article.byline == "样例作者"
    [lead] = article.images
    assert lead.url == "https://chinadigitaltimes.net/chinese/files/2025/02/sample.png"
    body = text(article.body)
    assert "档案卡" not in body and "版权说明" not in body
    assert "addtoany" not in article.body and "a2a" not in article.body
    assert links(article.body) == ["https://chinadigitaltimes.net/chinese/715000.html"]
    assert "第一段样例文字。" in body and "第二段样例文字" in body
    # Only the day is known (2025.2.2): the capture time stands, with a warning.
    assert any("2025-02-02" in w for w in article.warnings)


@pytest.mark.parametrize("name", ["voa", "rfa", "rfi", "dw", "nyt", "bbc", "cdt"])
def test_every_site_body_survives_the_sanitizer_with_its_text(name):
    article = parse(f"sites/{name}.txt")
    assert "样例" in text(sanitize_html(article.body)) or name == "voa"


@pytest.mark.parametrize(
    ("name", "line", "reason"),
    [
        ("multiline_title.txt", 2, "broken across lines 2-3"),
        ("json_payload.txt", 5, "JSON payload"),
        ("concatenated.txt", 6, "two articles concatenated"),
    ],
)
def test_broken_files_are_rejected_with_line_and_reason(name, line, reason):
    with pytest.raises(ImportFormatError) as caught:
        parse(name)
    assert caught.value.line == line
    assert reason in caught.value.reason
    assert caught.value.file.endswith(name)


def test_pictures_on_private_hosts_are_dropped_with_a_warning():
    article = parse("private_images.txt")
    assert [image.url for image in article.images] == ["https://cdn.example.org/ok.jpg"]
    for host in ("169.254.169.254", "127.0.0.1", "localhost", "10.0.0.5", "[::1]", "2130706433"):
        assert host not in article.body
    assert "192.168.1.1" not in article.body and "av.example.org/v.mp4" in article.body
    assert sum("dropped picture" in w for w in article.warnings) == 7


@pytest.mark.parametrize(
    ("url", "refused"),
    [
        ("https://169.254.169.254/x.jpg", True),
        ("https://metadata.google.internal/x.jpg", True),
        ("https://[fd00:ec2::254]/x.jpg", True),
        ("https://[::ffff:127.0.0.1]/x.jpg", True),
        ("https://0.0.0.0/x.jpg", True),
        ("https://printer.local/x.jpg", True),
        ("https://8.8.8.8/x.jpg", False),
        ("https://gdb.voanews.com/x.jpg", False),
    ],
)
def test_image_host_refusal(url, refused):
    assert (image_host_refusal(url) is not None) is refused


def test_nyt_www_layout_picture_source_credit_and_newsletter_footer():
    article = parse("sites/nyt_www.txt")
    [lead] = article.images
    assert (
        lead.url
        == "https://static01.nyt.com/images/2023/04/20/sample-mobileMasterAt3x.jpg?width=1800"
    )
    assert (lead.caption, lead.credit) == ("图片说明样例。", "Sample Agency")
    body = text(article.body)
    assert "Image" not in body and "没有图片的说明" not in body  # a caption without its picture
    assert "感谢阅读" not in body
    assert "第一条样例" in body and "第二条样例。" in body


def test_rfa_editors_only_credit_line_is_removed_without_a_byline():
    data = (
        (DATA / "sites/rfa.txt")
        .read_bytes()
        .replace("记者：甲乙 丙丁  责编".encode(), "责编".encode())
    )
    article = parse_article(data, "rfa-editors.txt", now=NOW)
    assert article.byline == ""
    assert "责编" not in text(article.body) and "网编" not in text(article.body)


def test_rfa_2021_credit_line_names_the_reporter():
    article = parse("sites/rfa_2021.txt")
    assert article.byline == "甲乙"
    body = text(article.body)
    assert "责编" not in body and "相关报道" not in body
    assert "第一段样例文字。" in body and "第二段样例文字。" in body


@pytest.mark.parametrize("credit", ["甲乙 台北报导", "甲乙巴黎报导", "甲乙华盛顿报道"])
def test_rfa_dateline_after_the_reporter_is_not_part_of_the_byline(credit):
    data = (DATA / "sites/rfa_2021.txt").read_bytes()
    data = data.replace("甲乙 台北报道".encode(), credit.encode())
    article = parse_article(data, "rfa-dateline.txt", now=NOW)
    assert article.byline == "甲乙"
    assert "责编" not in text(article.body)


def test_rfi_2021_title_suffix_share_card_wire_copyright_and_array():
    article = parse("sites/rfi_2021.txt")
    assert article.title == "法广旧版样例"
    assert article.images == ()  # the site's share card is not the article's picture
    assert article.dateline == ""
    body = text(article.body)
    assert "Array" not in body and "© 2021 AFP" not in body
    assert "第二段样例文字。" in body
    assert article.published_at == datetime(2021, 5, 12, 22, 2, tzinfo=UTC)


def test_cdt_2024_styled_caption_becomes_caption_and_credit():
    article = parse("sites/cdt_2024.txt")
    assert article.byline == "样例作者"
    first, second = article.images
    assert (first.caption, first.credit) == ("图片说明样例", "样例来源")
    assert second.caption == "第二张图片说明（样例 / 图）"
    assert "图源" not in text(article.body) and "第三段样例文字。" in text(article.body)


def test_cdt_photo_post_is_its_captioned_picture():
    article = parse("sites/cdt_photo.txt")
    [lead] = article.images
    assert lead.url == "https://chinadigitaltimes.net/chinese/files/2021/05/sample.jpeg"
    assert lead.caption == "Sample (Shanghai), by Sample Photographer (CC BY-NC-ND 2.0)"
    assert "addtoany" not in article.body


def test_rfi_2023_figures_with_glued_attributes_keep_picture_caption_and_credit():
    article = parse("sites/rfi_2023_figures.txt")
    lead, inline = article.images
    assert lead.url == "https://s.rfi.fr/media/display/sample/w:1280/p:16x9/lead.jpg"
    assert inline.url == "https://s.rfi.fr/media/display/sample/map.png"
    assert (inline.caption, inline.credit) == (
        "RFI carte / sample caption. (illustration)",
        "Sample Photographer/RFI",
    )
    assert "tag/sample" not in article.body  # the picture is not a link to a tag page
    assert "Fin" not in text(article.body) and "第二段样例文字。" in text(article.body)


def test_nyt_2020_italic_byline_and_time_are_read_in_beijing_time():
    article = parse("sites/nyt_2020.txt")
    assert article.byline == "SAMPLE WRITER"
    assert article.published_at == datetime(2020, 12, 22, 23, 29, 28, tzinfo=UTC)  # 07:29 CST
    assert not any("capture time" in w for w in article.warnings)
    lead = article.images[0]
    assert (lead.url, lead.caption) == (
        "https://static01.nyt.com/images/2020/12/22/sample-master1050.jpg",
        "图片说明样例。",
    )
    body = text(article.body)
    assert "2020-12-23" not in body and "SAMPLE WRITER" not in body
    assert "英文版" not in body and "Sample Writer是样例作者。" in body


def test_bbc_video_poster_is_the_lead_picture_and_the_video_stays_a_link():
    article = parse("sites/bbc_video.txt")
    [lead] = article.images
    assert lead.url == "https://ichef.bbci.co.uk/images/ic/1024x576/p0000002.jpg"
    assert lead.caption == "视频说明样例"
    body = sanitize_html(article.body)
    video = "https://www.bbc.com/ws/av-embeds/cps/zhongwen/simp/world-54507265/p0000001/zh-hans"
    assert links(body)[0] == video
    assert "不支持播放" not in text(body) and "视频说明样例" not in text(body)
    assert text(body).index("Video:") < text(body).index("第一段样例文字。")


def test_bbc_instagram_placeholder_becomes_a_link_to_the_post():
    article = parse("sites/bbc_video.txt")
    assert "https://www.instagram.com/p/SAMPLE123/" in links(sanitize_html(article.body))


def test_bbc_ukchina_english_original_line_goes():
    body = text(parse("sites/bbc_video.txt").body)
    assert "英文原文" not in body and "第二段样例文字。" in body


def test_bbc_grid_wrappers_do_not_survive_around_paragraphs():
    body = parse("sites/bbc_video.txt").body
    assert "<div" not in body


def test_bbc_day_keeps_the_capture_time_only_when_captured_that_day():
    # Captured 2020-10-12 09:45 UTC, a story stamped the 11th: noon UTC of the 11th.
    article = parse("sites/bbc_video.txt")
    assert article.published_at == datetime(2020, 10, 11, 12, 0, tzinfo=UTC)
    assert any("2020-10-11" in w and "12:00 UTC" in w for w in article.warnings)


def test_cdt_card_day_keeps_the_capture_time_when_captured_that_day_in_china():
    data = (DATA / "sites/cdt.txt").read_bytes()
    # 2025-02-02 03:00 UTC is 11:00 in Beijing, on the card's day.
    data = data.replace(b"<!--1738536978000-->", b"<!--1738465200000-->")
    article = parse_article(data, "cdt-same-day.txt", now=NOW)
    assert article.published_at == article.captured_at
    assert any("falls on that day in Asia/Shanghai" in w for w in article.warnings)


def test_cdt_card_day_captured_later_is_stored_at_noon_utc_of_that_day():
    article = parse("sites/cdt.txt")  # card 2025.2.2, captured 2025-02-03 06:56 in Beijing
    assert article.published_at == datetime(2025, 2, 2, 12, 0, tzinfo=UTC)
    assert not any("used the capture time" in w for w in article.warnings)


def test_cdt_card_day_after_the_capture_falls_back_to_the_capture_time():
    data = (DATA / "sites/cdt.txt").read_bytes().replace(b"2025.2.2", b"2025.2.9")
    article = parse_article(data, "cdt-later-day.txt", now=NOW)
    assert article.published_at == article.captured_at
    assert any("2025-02-09 is after capture" in w for w in article.warnings)


def test_cdt_lazy_and_paragraph_embeds_keep_a_link_to_the_video():
    body = sanitize_html(parse("sites/cdt_embeds.txt").body)
    assert links(body)[:3] == [
        "https://open.firstory.me/story/sample0000000000000001",
        "https://www.youtube.com/watch?v=AAAAAAAAAAA",
        "https://www.youtube.com/watch?v=BBBBBBBBBBB",
    ]
    assert "Audio: https://open.firstory.me/" in text(body)
    assert "<div></div>" not in body and "data:" not in body


def test_cdt_submission_call_qr_code_and_podcast_promo_go():
    article = parse("sites/cdt_embeds.txt")
    body = text(article.body)
    assert "投稿" not in body and "欢迎读者访问" not in body and "QR-code" not in article.body
    assert article.images == ()
    assert "第二段样例文字。" in body


def test_rfa_2020_plone_figure_keeps_its_caption_and_credit():
    article = parse("sites/rfa_2020.txt")
    [picture] = article.images
    assert picture.url == (
        "https://www.rfa.org/mandarin/yataibaodao/sample/sample-11062020092347.html/sample.jpg"
    )
    assert (picture.caption, picture.credit) == ("图片说明样例。（样例社）", "样例摄影")
    assert "icon-zoom" not in article.body and "image-caption" not in article.body
    assert article.byline == "甲乙"


def test_rfa_kaltura_player_becomes_a_link_to_the_video():
    body = sanitize_html(parse("sites/rfa_2020.txt").body)
    [video] = [href for href in links(body) if "kaltura" in href]
    assert video == (
        "https://cdnapisec.kaltura.com/p/1000001/sp/100000100/embedIframeJs/uiconf_id/2000002"
        "/partner_id/1000001?iframeembed=true&entry_id=1_abcd1234"
    )
    assert "<div></div>" not in body


def test_rfi_related_story_line_goes_like_dws():
    data = (DATA / "sites/rfi_2021.txt").read_bytes()
    marker = "<p>第二段样例文字。</p>".encode()
    assert marker in data
    related = '<p>延伸阅读：<a href="https://www.rfi.fr/cn/sample">另一篇样例</a></p>'.encode()
    article = parse_article(data.replace(marker, marker + related), "rfi-related.txt", now=NOW)
    assert "延伸阅读" not in text(article.body) and "另一篇样例" not in text(article.body)


def test_a_picture_inside_a_paragraph_leaves_no_empty_paragraph_behind():
    article = parse("sites/nyt_2020.txt")
    inline = article.images[1]
    assert (inline.role, inline.caption) == ("inline", "文中图片说明样例。")
    body = sanitize_html(article.body)
    assert "<p></p>" not in body and "<p><figure>" not in article.body
    assert body.index("第一段样例文字。") < body.index("<figure>") < body.index("第二段样例文字。")
