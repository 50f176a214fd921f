"""Admin pieces for images: the upload form, the "Fetch images" action, checks after saving.

`articles/admin.py` wires these in; the rules themselves live in `validation` and `service`.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from articles.desk.forms import PlainHelpTextMixin
from articles.images.errors import ImageError
from articles.images.service import images_to_fetch, sync_renditions
from articles.images.validation import validate_image_upload
from articles.models import Article, Image
from articles.tasks import fetch_images_later


class ImageInlineForm(PlainHelpTextMixin, forms.ModelForm):
    """A plain file field with our validator: Pillow only ever sees the accepted formats."""

    file = forms.FileField(
        required=False,
        validators=[validate_image_upload],
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
        help_text=_("JPEG, PNG, WebP or GIF. Replaces the fetched copy of the original URL."),
    )

    class Meta:
        model = Image
        fields = ("position", "role", "original_url", "file", "caption", "credit", "alt_text")


@admin.action(description=_("Fetch images (in the background)"))
def fetch_images_action(modeladmin, request, queryset):
    """Enqueue the fetch and return at once; each image's status shows on its article's page."""
    article_ids = list(queryset.values_list("pk", flat=True))
    waiting = images_to_fetch(Image.objects.filter(article_id__in=article_ids)).count()
    fetch_images_later(article_ids, always=True)
    message = _(
        "Fetching %(images)d image(s) of %(articles)d article(s) in the background; each image "
        "shows Not fetched, Fetched or Failed (with the reason) on its article's page."
    )
    modeladmin.message_user(
        request, message % {"images": waiting, "articles": len(article_ids)}, messages.SUCCESS
    )


def after_images_saved(request, article):
    """Renditions for new uploads, and a warning when a published article lacks alt text."""
    for image in article.images.all():
        try:
            sync_renditions(image)
        except ImageError as exc:
            error = gettext("Image %(image)s: %(reason)s") % {"image": image, "reason": exc.reason}
            messages.error(request, error)
    if article.status != Article.Status.PUBLISHED:
        return
    missing = article.images.filter(alt_text="").count()
    if missing:
        warning = ngettext(
            "Published with %(count)d image lacking alt text: describe each picture "
            "for readers who cannot see it.",
            "Published with %(count)d images lacking alt text: describe each picture "
            "for readers who cannot see it.",
            missing,
        )
        messages.warning(request, warning % {"count": missing})
