"""Site URLs: reader pages under a language prefix (/en/, /zh-hans/, /zh-hant/, /fa/), feeds and
sitemaps at the root, the Content API under /api/v1/, the editorial admin under /admin/.

The prefix is the reader's choice of language: pages are cached by URL, so a language switch
is a plain link and no cookie or Vary header is needed. An unprefixed page redirects to the
reader's language (Accept-Language), which LocaleMiddleware does for any path that is only
missing its prefix.
"""

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from articles.reader import urls as reader_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tinymce/", include("tinymce.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("preview/", include("articles.desk.preview_urls")),
    path("", include("newsroom.health")),
    path("", include((reader_urls.documents, "feeds"))),
]
urlpatterns += i18n_patterns(path("", include((reader_urls.pages, "articles"))))
# Fetched and uploaded images, served by Django only while developing (empty unless DEBUG).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
# Problem details for unknown addresses under /api/, the site's page elsewhere.
handler404 = "articles.api.errors.not_found"
