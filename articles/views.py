"""Reader-facing pages. Every public query starts from Article.objects.published()."""

from django.shortcuts import get_object_or_404, render

from articles.models import Article


def article_list(request):
    articles = Article.objects.published().prefetch_related("images")[:50]
    return render(request, "articles/list.html", {"articles": articles})


def article_detail(request, slug):
    article = get_object_or_404(Article.objects.published().prefetch_related("images"), slug=slug)
    return render(request, "articles/detail.html", {"article": article})
