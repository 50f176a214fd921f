"""RSS 2.0, Atom and JSON Feed 1.1 of the latest public articles.

At the root (/feeds/…) every article as written, each item in its own language. Under a
language prefix (/zh-hant/feeds/…) the articles of that interface language, plus, for Chinese,
the other script's articles converted: each item then carries the converted title and body, the
converted version's URL and language.
"""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from articles import languages
from articles.models import Article
from articles.reader.versions import shown_as
from articles.scripts import converted_fields
from articles.templatetags.reader import image_url

FEED_SIZE = 30
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def in_language(code):
    """Articles a reader of interface language `code` reads: its own, and Chinese converted."""
    if code == settings.READER_DEFAULT_LANGUAGE:
        others = [c for c in languages.site_languages() if c != code]
        query = ~Q(language__iregex=r"^(" + "|".join(others) + r")$")
    else:
        query = Q(language__iexact=code)
    other = languages.other_script(code)
    if other:
        query |= Q(language__iexact=other)
    return query


def latest_articles(code=None):
    articles = Article.objects.published()
    if code:
        articles = articles.filter(in_language(code))
    return articles.prefetch_related("images")[:FEED_SIZE]


def feed_items(code):
    """(version, body) pairs: converted bodies come from the conversion cache."""
    items = [(article, shown_as(article, code)) for article in latest_articles(code)]
    converted = {}
    for script in {version.script for _article, version in items if version.script}:
        batch = [a for a, v in items if v.script == script]
        converted.update(converted_fields(batch, script, ("title", "body")))
    return [
        (version, converted.get((article.pk, "body"), article.body)) for article, version in items
    ]


class LatestArticlesFeed(Feed):
    """Full text in `description`: the body is sanitized on save, the feed escapes it as XML."""

    description = "The latest articles."

    def get_object(self, request):
        """The interface language under a prefix; None at the root (all languages as written)."""
        return None if request.resolver_match.namespace == "feeds" else translation.get_language()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # A feed of every language claims none; a language's feed names it.
        feed.feed["language"] = languages.tag(obj) if obj else None
        return feed

    def title(self, obj):
        return settings.SITE_NAME

    def link(self, obj):
        return reverse("articles:list")

    def feed_url(self, obj):
        return reverse("articles:feed-rss") if obj else reverse("feeds:rss")

    def items(self, obj):
        return feed_items(obj)

    def item_title(self, item):
        return item[0].title

    def item_description(self, item):
        return item[1]

    def item_link(self, item):
        return item[0].url

    def item_pubdate(self, item):
        return item[0].article.published_at

    def item_updateddate(self, item):
        return item[0].article.updated_at

    def item_author_name(self, item):
        article = item[0].article
        return article.byline or article.source_name or None

    def item_guid(self, item):
        version = item[0]
        # A converted version is another item than its original: its own id.
        if version.script:
            return None
        return version.article.source_url or None

    item_guid_is_permalink = False


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self, obj):
        return reverse("articles:feed-atom") if obj else reverse("feeds:atom")


def json_feed_item(request, version, body):
    article = version.article
    url = request.build_absolute_uri(version.url)
    item = {
        "id": url,
        "url": url,
        "title": version.title,
        "content_html": body,
        "summary": version.summary,
        "date_published": article.published_at.isoformat(),
        "date_modified": article.updated_at.isoformat(),
        "language": version.language,
    }
    if article.source_url:
        item["external_url"] = article.source_url
    if article.byline or article.source_name:
        item["authors"] = [{"name": article.byline or article.source_name}]
    lead = article.lead_image
    if lead is not None:
        item["image"] = image_url(request, lead)
    return item


def json_feed(request, *, localized=False):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1); `localized` under a language prefix."""
    code = translation.get_language() if localized else None
    feed = {
        "version": JSON_FEED_VERSION,
        "title": settings.SITE_NAME,
        "home_page_url": request.build_absolute_uri(reverse("articles:list")),
        "feed_url": request.build_absolute_uri(
            reverse("articles:feed-json") if code else reverse("feeds:json")
        ),
        "description": LatestArticlesFeed.description,
        "items": [json_feed_item(request, v, body) for v, body in feed_items(code)],
    }
    if code:
        feed["language"] = languages.tag(code)
    return JsonResponse(
        feed,
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
