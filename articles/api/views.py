"""The read-only Content API. Every public query starts from Article.objects.published().

Responses are cacheable as the pages are (`Cache-Control: public, max-age=HTTP_CACHE_MAX_AGE`,
ETag and 304 from `conditional_page` in urls.py), so anonymous GETs are kept whole by
`articles.page_cache` and forgotten on any change; token requests are private and never kept.
"""

from csp.decorators import csp_update
from django.conf import settings
from django.core.validators import RegexValidator
from django.db import OperationalError, transaction
from django.db.models import Count
from django.utils.cache import patch_cache_control
from django.utils.dateparse import parse_datetime
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import exceptions, generics, pagination, serializers
from rest_framework.response import Response

from articles import front_cache, languages
from articles.api.errors import Problem
from articles.api.serializers import (
    ArticleDetailSerializer,
    ArticleSerializer,
    LanguageSerializer,
    SourceSerializer,
    field_names,
)
from articles.models import ApiToken, Article
from articles.reader import search as article_search
from articles.reader.views import (
    LEADS,
    UNSHOWN_FIELDS,
    is_cancelled,
    search_statement_timeout,
)

PROBLEM = "application/problem+json"


def problems(*codes):
    return {(code, PROBLEM): Problem for code in codes}


class SearchTimedOut(exceptions.APIException):
    status_code = 503
    default_detail = "The search took too long; add a more specific word."


class NewestFirst(pagination.CursorPagination):
    """Keyset pages on (published_at, id): as fast on page 5,000 as on page 1, stable on insert."""

    ordering = ("-published_at", "-id")
    page_size = settings.API_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 100

    def decode_cursor(self, request):
        """A tampered cursor is a 404, as DRF answers for one it cannot decode, not a 500."""
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            try:
                valid = parse_datetime(cursor.position) is not None
            except ValueError:
                valid = False
            if not valid:
                raise exceptions.NotFound(self.invalid_cursor_message)
        return cursor

    def get_page_size(self, request):
        """DRF ignores a bad page_size; say so instead, as for any other bad parameter."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            message = f"A whole number from 1 to {self.max_page_size}."
            raise serializers.ValidationError({self.page_size_query_param: [message]})
        return int(raw)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


# PostgreSQL refuses NUL in text, and DRF's CharField refuses it (400); the schema says so.
NO_NUL = RegexValidator(r"^[^\x00]*$", "NUL characters are not allowed.")


class ArticleFilters(serializers.Serializer):
    source = serializers.CharField(
        required=False,
        validators=[NO_NUL],
        help_text="Publisher name, as in `sources/`.",
    )
    language = serializers.CharField(
        required=False,
        validators=[NO_NUL],
        help_text="Language tag, as in `languages/`.",
    )
    published_after = serializers.DateTimeField(required=False, help_text="ISO 8601, exclusive.")
    published_before = serializers.DateTimeField(required=False, help_text="ISO 8601, exclusive.")
    q = serializers.CharField(
        required=False,
        validators=[NO_NUL],
        help_text="Search words, as the site's search matches them (every word).",
    )
    fields = serializers.CharField(
        required=False,
        help_text="Comma-separated fields to return, e.g. `slug,title,url`: lighter responses.",
    )

    def validate_fields(self, value):
        names = value.split(",")
        unknown = sorted(set(names) - set(field_names(ArticleSerializer)))
        if unknown:
            shown = ", ".join(repr(name) for name in unknown)
            raise serializers.ValidationError(f"Unknown fields: {shown}.")
        return names


class PublicCacheMixin:
    """Cache-Control as the reader pages: public for anyone, private for a staff token; public
    responses are tagged for the front cache with what they show (`front_cache_keys()`)."""

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code == 200:
            if request.auth is not None:
                patch_cache_control(response, private=True, no_store=True)
            else:
                patch_cache_control(response, public=True, max_age=settings.HTTP_CACHE_MAX_AGE)
                if request.method in ("GET", "HEAD"):  # not OPTIONS, which reads no article
                    front_cache.tag(response, *self.front_cache_keys())
        return response

    def front_cache_keys(self):
        """Counts and lists change whenever an article appears or goes."""
        return (front_cache.LISTS,)


FIELDS_PARAMETER = OpenApiParameter(
    "fields",
    {
        "type": "array",
        "items": {"type": "string", "enum": field_names(ArticleSerializer)},
        "minItems": 1,
    },
    style="form",
    explode=False,
    description="Only these fields, comma-separated (e.g. `slug,title,url`): lighter responses.",
)
# What Django's <slug:> path converter accepts; anything else is not an API address.
SLUG_PARAMETER = OpenApiParameter("slug", str, OpenApiParameter.PATH, pattern=r"^[-a-zA-Z0-9_]+$")


@extend_schema(
    parameters=[ArticleFilters, FIELDS_PARAMETER],
    responses={200: ArticleSerializer, **problems(400, 401, 404, 429, 503)},
)
class ArticleList(PublicCacheMixin, generics.ListAPIView):
    """Published articles, newest first; follow `next` for older ones."""

    serializer_class = ArticleSerializer
    pagination_class = NewestFirst

    def list(self, request, *args, **kwargs):
        # A plain dict, not the QueryDict: DRF would read an empty date as absent.
        params = ArticleFilters(data=request.query_params.dict())
        params.is_valid(raise_exception=True)
        self.filters = params.validated_data
        if not self.filters.get("q"):
            return super().list(request, *args, **kwargs)
        # A bad cursor or page size is refused before the transaction: an error raised inside
        # would doom an enclosing one (savepoint=False).
        self.paginator.decode_cursor(request)
        self.paginator.get_page_size(request)
        try:
            # savepoint=False: no extra query inside an enclosing transaction.
            with transaction.atomic(savepoint=False):
                search_statement_timeout()
                return super().list(request, *args, **kwargs)
        except OperationalError as error:
            if not is_cancelled(error):
                raise
            raise SearchTimedOut from error

    def get_queryset(self):
        articles = Article.objects.published()
        if self.filters.get("source"):
            articles = articles.filter(source_name=self.filters["source"])
        if self.filters.get("language"):
            articles = articles.filter(language=self.filters["language"])
        if "published_after" in self.filters:
            articles = articles.filter(published_at__gt=self.filters["published_after"])
        if "published_before" in self.filters:
            articles = articles.filter(published_at__lt=self.filters["published_before"])
        if self.filters.get("q"):
            query = article_search.normalize_query(self.filters["q"])
            articles = article_search.search(articles, query)
        return articles.defer("body", *UNSHOWN_FIELDS).prefetch_related(LEADS)

    def get_serializer(self, *args, **kwargs):
        fields = getattr(self, "filters", {}).get("fields")
        return super().get_serializer(*args, fields=fields, **kwargs)

    def front_cache_keys(self):
        shown = getattr(self.paginator, "page", None) or ()
        return (front_cache.LISTS, *(front_cache.article_key(a.pk) for a in shown))


@extend_schema(
    parameters=[SLUG_PARAMETER], responses={200: ArticleDetailSerializer, **problems(401, 404, 429)}
)
class ArticleDetail(PublicCacheMixin, generics.RetrieveAPIView):
    """One published article; a staff token with the `drafts:read` scope also opens drafts."""

    serializer_class = ArticleDetailSerializer
    lookup_field = "slug"

    def get_queryset(self):
        token = self.request.auth
        if isinstance(token, ApiToken) and token.scope == ApiToken.Scope.READ_DRAFTS:
            articles = Article.objects.all()
        else:
            articles = Article.objects.published()
        return articles.defer(*UNSHOWN_FIELDS).prefetch_related("images")

    def get_object(self):
        self.article = super().get_object()
        return self.article

    def front_cache_keys(self):
        return (front_cache.article_key(self.article.pk),)


def _counted(field):
    return (
        Article.objects.published()
        .exclude(**{field: ""})
        .values(field)
        .annotate(count=Count("id"))
        .order_by("-count", field)
    )


@extend_schema(responses={200: SourceSerializer(many=True), **problems(401, 429)})
class SourceList(PublicCacheMixin, generics.GenericAPIView):
    """Publishers with published articles, most articles first (one query)."""

    serializer_class = SourceSerializer
    pagination_class = None

    def get(self, request):
        rows = [{"name": r["source_name"], "count": r["count"]} for r in _counted("source_name")]
        return Response(SourceSerializer(rows, many=True).data)


@extend_schema(responses={200: LanguageSerializer(many=True), **problems(401, 429)})
class LanguageList(PublicCacheMixin, generics.GenericAPIView):
    """Languages of published articles, most articles first, with their text direction."""

    serializer_class = LanguageSerializer
    pagination_class = None

    def get(self, request):
        rows = [
            {
                "code": r["language"],
                "direction": languages.direction(r["language"]),
                "count": r["count"],
            }
            for r in _counted("language")
        ]
        return Response(LanguageSerializer(rows, many=True).data)


# Swagger UI from drf-spectacular-sidecar's static files, its start-up script fetched from this
# view (`?script`) rather than inline, as the CSP requires; its CSS loads pictures as data: URLs.
docs = csp_update({"img-src": "data:"})(SpectacularSwaggerSplitView.as_view(url_name="api:schema"))
