"""Reader URLs: `pages` in the reader's language (mounted under i18n_patterns, /en/, /zh-hans/…),
`documents` (feeds of every language, sitemaps, robots.txt) once at the root, since each item
carries its language. A language's own feeds sit with its pages."""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from articles.reader import feeds, sitemaps, views

pages = [
    path("", views.article_list, name="list"),
    path("articles/<slug:slug>/", views.article_detail, name="detail"),
    path("sources/<str:name>/", views.source_list, name="source"),
    path("languages/<str:code>/", views.language_list, name="language"),
    path("search/", views.search, name="search"),
    path("feeds/rss.xml", views.public_page(feeds.LatestArticlesFeed()), name="feed-rss"),
    path("feeds/atom.xml", views.public_page(feeds.LatestArticlesAtomFeed()), name="feed-atom"),
    path(
        "feeds/feed.json",
        views.public_page(feeds.json_feed),
        {"localized": True},
        name="feed-json",
    ),
]

documents = [
    path("feeds/rss.xml", views.public_page(feeds.LatestArticlesFeed()), name="rss"),
    path("feeds/atom.xml", views.public_page(feeds.LatestArticlesAtomFeed()), name="atom"),
    path("feeds/feed.json", views.public_page(feeds.json_feed), name="json"),
    path(
        "sitemap.xml",
        views.public_page(sitemap_views.index),
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "feeds:sitemap-section"},
        name="sitemap",
    ),
    path("sitemap-<section>.xml", views.public_page(sitemaps.section), name="sitemap-section"),
    path("robots.txt", views.robots_txt, name="robots"),
]
