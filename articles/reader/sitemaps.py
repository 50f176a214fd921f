"""sitemap.xml: every public article, plus a Google News sitemap of the last two days."""

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.utils import timezone

from articles.models import Article

NEWS_WINDOW = timedelta(days=2)


class ArticleSitemap(Sitemap):
    def items(self):
        return Article.objects.published().only("slug", "updated_at", "published_at")

    def lastmod(self, article):
        return article.updated_at


class NewsSitemap(ArticleSitemap):
    """Google News reads only articles published in the last two days, at most 1,000."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "updated_at", "published_at", "title", "language")
        )


SITEMAPS = {"articles": ArticleSitemap, "news": NewsSitemap}
TEMPLATES = {"news": "articles/sitemap_news.xml"}


def section(request, section):
    """One section of the sitemap index, the news section in Google News' format."""
    return sitemap_views.sitemap(
        request,
        SITEMAPS,
        section=section,
        template_name=TEMPLATES.get(section, "sitemap.xml"),
    )
