"""Site URLs: the reader site at the root, the Content API at /api/v1/, the admin at /admin/."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tinymce/", include("tinymce.urls")),
    path("api/v1/", include("articles.api.urls")),
    path("preview/", include("articles.desk.preview_urls")),
    path("", include("newsroom.health")),
    path("", include("articles.reader.urls")),
]
# Fetched and uploaded images, served by Django only while developing (empty unless DEBUG).
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
# Problem details for unknown addresses under /api/, the site's page elsewhere.
handler404 = "articles.api.errors.not_found"
