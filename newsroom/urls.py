"""Site URLs: the reader site at the root, the editorial admin under /admin/."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("tinymce/", include("tinymce.urls")),
    path("preview/", include("articles.preview_urls")),
    path("", include("articles.urls")),
]
