"""Reader-facing pages. Every public query starts from Article.objects.published().

Each view is a queryset (`only()` the shown fields, lead pictures prefetched or joined) and a
template: at most three queries a page. Pages are cacheable by anyone for HTTP_CACHE_MAX_AGE,
carry an ETag so a revalidating reader gets a 304, and are kept whole for anonymous readers by
`articles.page_cache`.
"""

from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.db import OperationalError, connection, transaction
from django.db.models import FilteredRelation, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import translation
from django.views.decorators.cache import cache_control
from django.views.decorators.http import conditional_page, require_safe

from articles import front_cache, languages
from articles.models import Article, Image
from articles.reader import search as article_search
from articles.reader.versions import cards_for, shown_as
from articles.scripts import convert_text

PAGE_SIZE = 20
# What a card shows; the article page adds its body and provenance.
CARD_FIELDS = (
    "title", "slug", "dateline", "published_at", "updated_at", "language", "source_name", "summary",
)  # fmt: skip
# What the article page shows of its older and newer neighbours.
NEIGHBOUR_FIELDS = ("slug", "title", "dateline", "summary", "language", "updated_at")
# What the article page never shows (only() does not combine with FilteredRelation).
UNSHOWN_FIELDS = ("search_text", "search_bigrams", "imported_values", "pending_import")
LEADS = Prefetch("images", queryset=Image.objects.filter(role=Image.Role.LEAD))


def public_page(view):
    """GET/HEAD only, cacheable by anyone for HTTP_CACHE_MAX_AGE, ETag and 304.

    A view that does not tag its response for the front cache shows many articles whole (feeds,
    sitemaps): it is tagged as a list and a feed.
    """

    @wraps(view)
    @require_safe
    @cache_control(public=True, max_age=settings.HTTP_CACHE_MAX_AGE)
    @conditional_page
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if "Surrogate-Key" not in response:
            front_cache.tag(response, front_cache.LISTS, front_cache.FEEDS)
        return response

    return wrapper


def page_languages(request, versions=None):
    """The language switcher and `hreflang` alternates: this page in each interface language.

    `versions` maps the languages a page exists in to its URL (an article: the original and its
    converted script); the others link to their home page. Without it, every language has the
    page: the same path under another prefix, query string included.
    """
    current = translation.get_language()
    links = []
    for code, name in settings.LANGUAGES:
        home = languages.localized_reverse(code, "articles:list")
        if versions is None:
            url = translate_url(request.get_full_path(), code)
            # translate_url returns a path it cannot resolve (a 404) unchanged.
            url = home if url == request.get_full_path() and code != current else url
        else:
            url = versions.get(code, home)
        alternate = versions is None or code in versions
        links.append(
            {
                "code": code,
                "tag": languages.tag(code),
                "name": name,
                "url": url,
                "current": code == current,
                "alternate": alternate,
            }
        )
    return links


def cards(queryset):
    """Articles as a card shows them: its fields only, lead picture prefetched (one query)."""
    return queryset.only(*CARD_FIELDS).prefetch_related(LEADS)


def render_list(request, queryset, *, heading="", lang="", empty_is_404=False):
    """A page of cards: the count, the page's articles and their lead pictures (three queries)."""
    page = Paginator(cards(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
    if empty_is_404 and not page.paginator.count:
        raise Http404("No articles here.")
    context = {
        "page_obj": page,
        "cards": cards_for(page.object_list, translation.get_language()),
        "heading": heading,
        "list_lang": lang,
        "terms": (),
    }
    response = render(request, "articles/list.html", context)
    return tag_list(response, page.object_list)


def tag_list(response, articles):
    """A list or search page changes when any article on it does, or when articles come or go."""
    keys = (front_cache.article_key(article.pk) for article in articles)
    return front_cache.tag(response, front_cache.LISTS, *keys)


@public_page
def article_list(request):
    return render_list(request, Article.objects.published())


@public_page
def source_list(request, name):
    articles = Article.objects.published().filter(source_name=name)
    return render_list(request, articles, heading=name, empty_is_404=True)


@public_page
def language_list(request, code):
    """A language's articles, in that language's interface (or, for zh, either script's)."""
    home = languages.site_language(code)
    reader = translation.get_language()
    if reader not in (home, languages.other_script(code)):
        return redirect(languages.localized_reverse(home, "articles:language", code=code))
    articles = Article.objects.published().filter(language=code)
    heading = dict(settings.LANGUAGES).get(code.lower(), code)
    return render_list(request, articles, heading=heading, lang=code, empty_is_404=True)


def render_article(request, article, lead, *, preview=False, script=None, **neighbours):
    """The detail page for one article, in `script` when converted; previews pass preview=True.

    The interface speaks the page's language: the article's own, or the script it was
    converted to.
    """
    page_language = script or languages.site_language(article.language)
    with translation.override(page_language):
        story = shown_as(article, page_language, page=True)
        versions = {languages.site_language(article.language): article.get_absolute_url()}
        other = languages.other_script(article.language)
        if other:
            versions[other] = article.get_script_url(other)
        context = {
            "article": article,
            "story": story,
            "lead": lead,
            "caption": lead and convert_text(lead.caption, story.script) if story.script else "",
            "preview": preview,
            "page_languages": page_languages(request, versions),
            "x_default": article.get_absolute_url(),
            **{name: n and shown_as(n, page_language) for name, n in neighbours.items()},
        }
        return render(request, "articles/detail.html", context)


@public_page
def article_detail(request, slug):
    """The article with its lead picture joined (one query), then its two neighbours."""
    article = (
        Article.objects.published()
        .filter(slug=slug)
        .annotate(lead=FilteredRelation("images", condition=Q(images__role=Image.Role.LEAD)))
        .select_related("lead")
        .defer(*UNSHOWN_FIELDS)
        .order_by("lead__position", "lead__id")
        .first()
    )
    if article is None:
        raise Http404("No such article.")
    reader = translation.get_language()
    if reader != languages.site_language(article.language):
        if reader != languages.other_script(article.language):
            return redirect(article.get_absolute_url())
        script = reader
    else:
        script = None
    # The join leaves `lead` unset, not None, when the article has no lead picture.
    lead = getattr(article, "lead", None)
    neighbours = Article.objects.published().only(*NEIGHBOUR_FIELDS).neighbours(article)
    response = render_article(request, article, lead, script=script, **neighbours)
    shown = [article, *(other for other in neighbours.values() if other is not None)]
    return front_cache.tag(response, *(front_cache.article_key(a.pk) for a in shown))


def search_page(request, results):
    """(page, articles, more) for a search: the page's rows carry the window's count.

    Only a page past the end of the results costs another query, to fetch the last page.
    """
    limit = article_search.max_results()
    last = max(1, -(-limit // PAGE_SIZE))
    try:
        number = min(max(int(request.GET.get("page", 1)), 1), last)
    except ValueError:
        number = 1
    rows = cards(results)
    shown = list(rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    if not shown and number > 1:
        number = max(1, -(-results.count() // PAGE_SIZE))
        shown = list(rows[(number - 1) * PAGE_SIZE : number * PAGE_SIZE])
    found, probed = (shown[0].found, shown[0].probed) if shown else (0, 0)
    page = Paginator(range(found), PAGE_SIZE).page(number) if found else None
    return page, shown, probed > limit


def search_statement_timeout():
    """PostgreSQL only: a search query running longer than NEWSROOM_SEARCH_TIMEOUT_MS stops.

    The results are bounded, so this is a safety net: a worker is never held past gunicorn's
    timeout by one reader's (or one attacker's) query. SET LOCAL lasts until the transaction ends.
    """
    if connection.vendor == "postgresql":
        timeout = settings.NEWSROOM_SEARCH_TIMEOUT_MS
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
    articles = ()
    if query:
        results = article_search.search(Article.objects.published(), query)
        try:
            # savepoint=False: no extra query inside an enclosing transaction.
            with transaction.atomic(savepoint=False):
                search_statement_timeout()
                page, articles, more = search_page(request, results)
        except OperationalError as error:
            if not is_cancelled(error):
                raise
            return render(request, "articles/search.html", {**context, "timed_out": True})
        found = page.paginator.count if page else 0
        cards = cards_for(articles, translation.get_language())
        terms = article_search.query_terms(query)
        context.update(page_obj=page, cards=cards, found=found, more=more, terms=terms)
    response = render(request, "articles/search.html", context)
    return tag_list(response, articles)


@public_page
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("feeds:sitemap"))
    return render(request, "robots.txt", {"sitemap_url": sitemap}, content_type="text/plain")
