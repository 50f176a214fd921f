"""RSS 2.0, Atom and JSON Feed 1.1 of the latest public articles."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import JsonResponse
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from articles.models import Article
from articles.templatetags.reader import image_url

FEED_SIZE = 30
JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"


def latest_articles():
    return Article.objects.published().prefetch_related("images")[:FEED_SIZE]


class LatestArticlesFeed(Feed):
    """Full text in `description`: the body is sanitized on save, the feed escapes it as XML."""

    description = "The latest articles."

    def title(self):
        return settings.SITE_NAME

    def link(self):
        return reverse("articles:list")

    def feed_url(self):
        return reverse("articles:feed-rss")

    def items(self):
        return latest_articles()

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.body

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.byline or article.source_name or None

    def item_guid(self, article):
        return article.source_url or None

    item_guid_is_permalink = False


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = Atom1Feed
    subtitle = LatestArticlesFeed.description

    def feed_url(self):
        return reverse("articles:feed-atom")


def json_feed_item(request, article):
    url = request.build_absolute_uri(article.get_absolute_url())
    item = {
        "id": url,
        "url": url,
        "title": article.title,
        "content_html": article.body,
        "summary": article.summary,
        "date_published": article.published_at.isoformat(),
        "date_modified": article.updated_at.isoformat(),
        "language": article.language,
    }
    if article.source_url:
        item["external_url"] = article.source_url
    if article.byline or article.source_name:
        item["authors"] = [{"name": article.byline or article.source_name}]
    lead = article.lead_image
    if lead is not None:
        item["image"] = image_url(request, lead)
    return item


def json_feed(request):
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1)."""
    feed = {
        "version": JSON_FEED_VERSION,
        "title": settings.SITE_NAME,
        "home_page_url": request.build_absolute_uri(reverse("articles:list")),
        "feed_url": request.build_absolute_uri(reverse("articles:feed-json")),
        "description": LatestArticlesFeed.description,
        "language": settings.LANGUAGE_CODE,
        "items": [json_feed_item(request, article) for article in latest_articles()],
    }
    return JsonResponse(
        feed,
        content_type="application/feed+json; charset=utf-8",
        json_dumps_params={"ensure_ascii": False},
    )
