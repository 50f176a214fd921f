from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles.reader import feeds, sitemaps, views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("sources/<str:name>/", views.source_list, name="source"),
    path("languages/<str:code>/", views.language_list, name="language"),
    path("search/", views.search, name="search"),
    path("feeds/rss.xml", views.public_page(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom.xml", views.public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path("feeds/feed.json", views.public_page(feeds.json_feed), name="feed-json"),
    path(
        "sitemap.xml",
        views.public_page(sitemap_views.index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "articles:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", views.public_page(sitemaps.section), name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
