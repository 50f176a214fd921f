"""Reader-facing pages. Every public query starts from Article.objects.published().

Pages are cacheable by anyone (`Cache-Control: public`) and carry an ETag computed from the
rendered page, so a reader or proxy revalidating an unchanged page gets a 304.
"""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_safe

from articles import search as article_search
from articles.models import Article, Image

PAGE_SIZE = 20
# Fields list pages never show; deferring them keeps a page of 20 rows small.
LIST_DEFERRED = ("body", "search_text", "imported_values", "pending_import")


def public_page(view):
    """GET/HEAD only, cacheable for CACHE_MIDDLEWARE_SECONDS, ETag and 304 on revalidation."""

    @wraps(view)
    @require_safe
    @cache_control(public=True, max_age=settings.CACHE_MIDDLEWARE_SECONDS)
    @conditional_page
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


def listing(queryset):
    """A list page's rows: lead images prefetched (one query), heavy fields left behind."""
    leads = Prefetch("images", queryset=Image.objects.filter(role=Image.Role.LEAD))
    return queryset.defer(*LIST_DEFERRED).prefetch_related(leads)


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def render_list(request, queryset, *, heading="", lang="", empty_is_404=False):
    page = paginate(request, listing(queryset))
    if empty_is_404 and not page.paginator.count:
        raise Http404("No articles here.")
    context = {"page_obj": page, "heading": heading, "list_lang": lang}
    return render(request, "articles/list.html", context)


@public_page
def article_list(request):
    return render_list(request, Article.objects.published())


@public_page
def source_list(request, name):
    articles = Article.objects.published().filter(source_name=name)
    return render_list(request, articles, heading=name, empty_is_404=True)


@public_page
def language_list(request, code):
    articles = Article.objects.published().filter(language=code)
    return render_list(request, articles, heading=code, lang=code, empty_is_404=True)


def with_neighbours(queryset):
    """Annotate each article with the slug and title of the next older and newer public ones."""
    public = Article.objects.published()
    older = public.filter(
        Q(published_at__lt=OuterRef("published_at"))
        | Q(published_at=OuterRef("published_at"), id__lt=OuterRef("id"))
    ).order_by("-published_at", "-id")
    newer = public.filter(
        Q(published_at__gt=OuterRef("published_at"))
        | Q(published_at=OuterRef("published_at"), id__gt=OuterRef("id"))
    ).order_by("published_at", "id")
    return queryset.annotate(
        older_slug=Subquery(older.values("slug")[:1]),
        older_title=Subquery(older.values("title")[:1]),
        newer_slug=Subquery(newer.values("slug")[:1]),
        newer_title=Subquery(newer.values("title")[:1]),
    )


def render_article(request, article, *, preview=False):
    """The detail page for one article; a staff preview view calls this with preview=True."""
    return render(request, "articles/detail.html", {"article": article, "preview": preview})


@public_page
def article_detail(request, slug):
    public = with_neighbours(Article.objects.published()).prefetch_related("images")
    return render_article(request, get_object_or_404(public, slug=slug))


@public_page
def search(request):
    query = article_search.normalize_query(request.GET.get("q", ""))
    results = article_search.search(Article.objects.published(), query)
    page = paginate(request, listing(results))
    context = {
        "page_obj": page,
        "query": query,
        "short_query_window": article_search.is_short(query) and article_search.SHORT_QUERY_WINDOW,
    }
    return render(request, "articles/search.html", context)


@public_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("articles:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain")
