"""Reader-facing pages. Every public query starts from Article.objects.published().

Pages are cacheable by anyone (`Cache-Control: public`) and carry an ETag computed from the
rendered page, so a reader or proxy revalidating an unchanged page gets a 304. Each view loads
only the values its page shows, as plain rows (no model instances, no per-row queries), and
renders through `articles.rendered`, which skips the template when those values were rendered
before.
"""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import FilteredRelation, Q
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_safe

from articles import search as article_search
from articles.models import Article, Image
from articles.rendered import render_remembered

PAGE_SIZE = 20
# The default for settings.NEWSROOM_SEARCH_TIMEOUT_MS (PostgreSQL): see search_statement_timeout.
SEARCH_TIMEOUT_MS = 5_000


def model_order(model, names):
    """`names` in the model's field order, as Model.from_db() expects them."""
    return tuple(f.attname for f in model._meta.concrete_fields if f.attname in names)


# What a card shows, what the article page adds, and what articles/_picture.html reads.
CARD_FIELDS = model_order(
    Article,
    {"id", "title", "slug", "dateline", "published_at", "language", "source_name", "summary"},
)
STORY_FIELDS = model_order(Article, {*CARD_FIELDS, "body", "source_url", "updated_at"})
PICTURE_FIELDS = model_order(
    Image,
    {"id", "article_id", "original_url", "file", "width", "height", "renditions"}
    | {"caption", "credit", "alt_text"},
)


def public_page(view):
    """GET/HEAD only, cacheable for CACHE_MIDDLEWARE_SECONDS, ETag and 304 on revalidation."""

    @wraps(view)
    @require_safe
    @cache_control(public=True, max_age=settings.CACHE_MIDDLEWARE_SECONDS)
    @conditional_page
    def wrapper(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    return wrapper


def lead_pictures(article_ids):
    """{article id: its lead picture's row}, the first by position as Article.lead_image picks."""
    rows = Image.objects.filter(article_id__in=article_ids, role=Image.Role.LEAD)
    leads = {}
    for row in rows.values_list(*PICTURE_FIELDS):
        leads.setdefault(row[PICTURE_FIELDS.index("article_id")], row)
    return leads


def as_article(fields, row):
    """An Article for the template, from a loaded row; any other field would be a query."""
    return Article.from_db("default", fields, row)


def as_picture(row):
    return Image.from_db("default", PICTURE_FIELDS, row) if row else None


def paginate(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def render_cards(request, queryset, template_name, *, remember=True, empty_is_404=False, **context):
    """A page of cards: the count, the page's rows and their lead pictures (three queries)."""
    page = paginate(request, queryset.values_list(*CARD_FIELDS))
    if empty_is_404 and not page.paginator.count:
        raise Http404("No articles here.")
    rows = list(page.object_list)
    leads = lead_pictures([row[0] for row in rows])
    shown = [(row, leads.get(row[0])) for row in rows]

    def full_context():
        cards = [(as_article(CARD_FIELDS, row), as_picture(lead)) for row, lead in shown]
        return {"page_obj": page, "cards": cards, **context}

    if not remember:
        return render(request, template_name, full_context())
    pages = (page.number, page.paginator.count)
    return render_remembered(
        request, template_name, full_context, shows=(shown, pages, sorted(context.items()))
    )


def render_list(request, queryset, *, heading="", lang="", empty_is_404=False):
    return render_cards(
        request,
        queryset,
        "articles/list.html",
        empty_is_404=empty_is_404,
        heading=heading,
        list_lang=lang,
    )


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


def neighbours(article_id, published_at):
    """The next older and newer public articles (slug, title): two indexed one-row queries."""
    public = Article.objects.published().values_list("slug", "title", named=True)
    older = (
        public.filter(published_at__lte=published_at)
        .exclude(published_at=published_at, id__gte=article_id)
        .order_by("-published_at", "-id")
    )
    newer = (
        public.filter(published_at__gte=published_at)
        .exclude(published_at=published_at, id__lte=article_id)
        .order_by("published_at", "id")
    )
    return {"older": older.first(), "newer": newer.first()}


def story_context(article, lead, *, older=None, newer=None, preview=False):
    return {"article": article, "lead": lead, "older": older, "newer": newer, "preview": preview}


def render_article(request, article, *, preview=False):
    """The detail page for one article (images prefetched); staff previews pass preview=True."""
    context = story_context(article, article.lead_image, preview=preview)
    return render(request, "articles/detail.html", context)


def story_row(slug):
    """(the article's row, its lead picture's row or None) in one query, or Http404."""
    lead = FilteredRelation("images", condition=Q(images__role=Image.Role.LEAD))
    rows = (
        Article.objects.published()
        .filter(slug=slug)
        .annotate(lead=lead)
        .order_by("lead__position", "lead__id")
        .values_list(*STORY_FIELDS, *(f"lead__{name}" for name in PICTURE_FIELDS))
    )
    found = rows.first()
    if found is None:
        raise Http404("No such article.")
    row, picture = found[: len(STORY_FIELDS)], found[len(STORY_FIELDS) :]
    return row, (picture if picture[0] is not None else None)


@public_page
def article_detail(request, slug):
    row, lead = story_row(slug)
    values = dict(zip(STORY_FIELDS, row, strict=True))
    around = neighbours(values["id"], values["published_at"])

    def full_context():
        return story_context(as_article(STORY_FIELDS, row), as_picture(lead), **around)

    return render_remembered(
        request, "articles/detail.html", full_context, shows=(row, lead, sorted(around.items()))
    )


def search_page(request, results):
    """(page, cards, more) for a search: the page's rows carry the window's count (one query).

    Only a page past the end of the results costs a second query, to fetch the last page.
    """
    limit = article_search.max_results()
    last = max(1, -(-limit // PAGE_SIZE))
    try:
        number = min(max(int(request.GET.get("page", 1)), 1), last)
    except ValueError:
        number = 1
    rows = results.values_list(*CARD_FIELDS, "found", "probed")
    shown = list(rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    if not shown and number > 1:
        number = max(1, -(-results.count() // PAGE_SIZE))
        shown = list(rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    found, probed = shown[0][-2:] if shown else (0, 0)
    page = Paginator(range(found), PAGE_SIZE).page(number) if found else None
    leads = lead_pictures([row[0] for row in shown])
    cards = [(as_article(CARD_FIELDS, row[:-2]), as_picture(leads.get(row[0]))) for row in shown]
    return page, cards, probed > limit


def search_statement_timeout():
    """PostgreSQL only: a search query running longer than SEARCH_TIMEOUT_MS is cancelled.

    The results are bounded, so this is a safety net: a worker is never held past gunicorn's
    timeout by one reader's (or one attacker's) query. SET LOCAL lasts until the transaction ends.
    """
    if connection.vendor == "postgresql":
        timeout = getattr(settings, "NEWSROOM_SEARCH_TIMEOUT_MS", SEARCH_TIMEOUT_MS)
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [str(timeout)])


def is_cancelled(error):
    """True for PostgreSQL's query_canceled (57014), what statement_timeout raises."""
    return getattr(error.__cause__, "sqlstate", None) == "57014"


@public_page
def search(request):
    query = article_search.normalize_query(request.GET.get("q", ""))
    context = {
        "query": query,
        "short_query_window": article_search.is_short(query) and article_search.SHORT_QUERY_WINDOW,
        "max_results": article_search.max_results(),
    }
    if query:
        results = article_search.search(Article.objects.published(), query)
        try:
            # savepoint=False: no extra query inside an enclosing transaction.
            with transaction.atomic(savepoint=False):
                search_statement_timeout()
                page, cards, more = search_page(request, results)
        except OperationalError as error:
            if not is_cancelled(error):
                raise
            return render(request, "articles/search.html", {**context, "timed_out": True})
        found = page.paginator.count if page else 0
        context.update(page_obj=page, cards=cards, found=found, more=more)
    # Searches are rarely repeated word for word: rendered afresh, not remembered.
    return render(request, "articles/search.html", context)


@public_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("articles:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain")
