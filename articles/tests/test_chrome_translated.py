"""No English interface string on a Chinese page, and the desk in Chinese with LANGUAGE_CODE."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.urls import reverse
from lxml import html as lxml_html

from articles.tests.test_reader_pages import import_seed, make_article

CATALOG = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
# What a source string's English looks like once its placeholders and markup are cut out.
_CUT = re.compile(r"%\(\w+\)[sd]|%[sd]|<[^>]+>|[“”\"():;.,?!←→⚠]")
# Names that stay as they are in every language.
NAMES = {"RSS", "Atom", "JSON Feed", "DeepSeek", "HTML", "ASCII", "BCP"}
NAME_WORDS = {word for name in NAMES for word in name.split()}
ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")


def source_phrases():
    """Every run of English words (two letters or more) in the catalog's source strings."""
    text = CATALOG.read_text()
    msgids = re.findall(r'^msgid "(.*)"\n((?:".*"\n)*)', text, re.M)
    phrases = set()
    for first, rest in msgids:
        source = first + "".join(re.findall(r'"(.*)"', rest))
        for piece in _CUT.split(source.replace('\\"', '"')):
            piece = piece.strip()
            if re.search(r"[A-Za-z]{2}", piece) and piece not in NAMES:
                phrases.add(piece)
    return phrases


def chrome_text(response):
    """The page's text and readable attributes, without the articles' own words and names."""
    doc = lxml_html.fromstring(response.content.decode())
    for data in doc.cssselect(
        ".card-title, .summary, .dateline, .source, .story-header h1, .story-body, "
        "figcaption, .story-source a, .pager-title, .site-name, bdi, script, style, title"
    ):
        data.drop_tree()
    values = [doc.text_content()]
    for attribute in ATTRIBUTES:
        values += doc.xpath(f"//@{attribute}")
    return "\n".join(values)


@pytest.mark.django_db
def test_simplified_chinese_pages_show_no_english_interface_words(client):
    seed = import_seed()
    for n in range(25):
        make_article(title=f"第{n}篇", language="zh-Hans")
    phrases = source_phrases()
    assert {"Latest articles", "Search", "Page not found", "Older"} <= phrases
    pages = [
        "/zh-hans/",
        "/zh-hans/?page=2",
        "/zh-hans/languages/zh-Hans/",
        f"/zh-hans/sources/{seed.source_name}/",
        seed.get_absolute_url(),
        "/zh-hans/articles/article-1/",
        "/zh-hans/search/",
        "/zh-hans/search/?q=人工智能",
        "/zh-hans/search/?q=AI",
        "/zh-hans/search/?q=没有这个词",
        "/zh-hans/articles/no-such-article/",
    ]
    for url in pages:
        text = chrome_text(client.get(url))
        words = re.findall(r"\b[A-Za-z]{3,}\b", text)
        assert not [p for p in phrases if re.search(rf"\b{re.escape(p)}\b", text)], url
        english = [w for w in words if w not in NAME_WORDS and any(w in p.split() for p in phrases)]
        assert not english, (url, english)


@pytest.mark.django_db
def test_the_desk_speaks_chinese_when_language_code_says_so(client, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    seed = import_seed()
    client.force_login(User.objects.create_superuser("editor", "e@example.org", "x"))
    change = client.get(reverse("admin:articles_article_change", args=[seed.pk]))
    page = change.content.decode()
    assert "来源与出处" in page and "比较修订版本" in page and "最近的操作" in page
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "发布所选文章" in changelist and "撤销发布所选文章" in changelist
    settings.LANGUAGE_CODE = "zh-hant"
    page = client.get(reverse("admin:articles_article_change", args=[seed.pk])).content.decode()
    assert "來源與出處" in page and "比較修訂版本" in page
