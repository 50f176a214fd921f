"""Previews of any article, drafts included, through the template readers see.

Staff open `/preview/<pk>/`; anyone else needs a signed link that expires (no account, no
database row: the signature is the permission). Previews are never cached or indexed.
"""

from datetime import timedelta

from django.contrib.admin.views.decorators import staff_member_required
from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.cache import never_cache

from articles.models import Article
from articles.reader.views import render_article

PREVIEW_LINK_MAX_AGE = timedelta(days=7)
_SALT = "articles.desk.preview"


def _signer():
    return signing.TimestampSigner(salt=_SALT)


def signed_preview_path(article):
    """A path that shows `article` to whoever has it, for PREVIEW_LINK_MAX_AGE."""
    return reverse("preview:signed", kwargs={"token": _signer().sign(str(article.pk))})


def _render_preview(request, pk):
    article = get_object_or_404(Article.objects.prefetch_related("images"), pk=pk)
    response = render_article(request, article, article.lead_image, preview=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@staff_member_required
def staff_preview(request, pk):
    return _render_preview(request, pk)


@never_cache
def signed_preview(request, token):
    try:
        pk = _signer().unsign(token, max_age=PREVIEW_LINK_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise Http404("This preview link has expired; ask the editor for a new one.") from exc
    except signing.BadSignature as exc:
        raise Http404("This preview link is not valid.") from exc
    return _render_preview(request, int(pk))
