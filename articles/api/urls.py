"""/api/v1/: the Content API, its OpenAPI schema and its docs page (from our static files)."""

from django.urls import path
from django.views.decorators.http import conditional_page
from drf_spectacular.views import SpectacularAPIView

from articles.api import views

app_name = "api"


def etagged(view):
    """ETag from the body, and 304 when the client already has it."""
    return conditional_page(view.as_view())


urlpatterns = [
    path("articles/", etagged(views.ArticleList), name="articles"),
    path("articles/<slug:slug>/", etagged(views.ArticleDetail), name="article"),
    path("sources/", etagged(views.SourceList), name="sources"),
    path("languages/", etagged(views.LanguageList), name="languages"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.docs, name="docs"),
]
