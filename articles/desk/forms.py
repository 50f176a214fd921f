"""The editorial article form: rich-text body, a sanitizing report, lost-edit protection."""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from tinymce.widgets import AdminTinyMCE

from articles.models import Article
from articles.sanitize import sanitize_report
from articles.services import unique_slug

STALE_VERSION_MESSAGE = _(
    "Someone else saved this article while you were editing it (you started from version "
    "%(yours)s; it is now at version %(theirs)s). Nothing was saved. Copy your changes, open the "
    "article again to see theirs, and apply yours on top."
)


class PlainHelpTextMixin:
    """Help texts here are plain text, but the admin renders them as HTML: escape them.

    Otherwise "/articles/<slug>/" reads "/articles//." to an editor.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.help_text = escape(field.help_text)


class ArticleAdminForm(PlainHelpTextMixin, forms.ModelForm):
    # The version the editor started from; the model field itself is not editable.
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Article
        fields = [
            "title",
            "slug",
            "dateline",
            "byline",
            "body",
            "status",
            "published_at",
            "language",
        ]
        widgets = {"body": AdminTinyMCE(attrs={"cols": 80, "rows": 30})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.removed_from_body = ()
        self.fields["loaded_version"].initial = self.instance.version
        self.fields["slug"].required = False
        self.fields["slug"].help_text = "{} {}".format(
            self.fields["slug"].help_text, gettext("Left empty, it is made from the title.")
        )
        self.fields["published_at"].help_text = gettext(
            "When the article goes live; a future time schedules it (no further step needed). "
            "Times are in %(zone)s."
        ) % {"zone": settings.TIME_ZONE}

    def clean_body(self):
        report = sanitize_report(self.cleaned_data.get("body") or "")
        self.removed_from_body = report.removed
        return report.html

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug:
            return slug
        if self.instance.slug:
            return self.instance.slug
        # Chinese titles slugify to nothing; a dated fallback keeps addresses ASCII and unique.
        base = slugify(self.data.get("title", "")) or f"article-{timezone.now():%Y%m%d}"
        return unique_slug(base[:100])

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is not None:
            self._check_version(cleaned.get("loaded_version"))
        return cleaned

    def _check_version(self, yours):
        # Runs inside the admin's transaction: the row stays locked until this save commits.
        theirs = (
            Article.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if yours != theirs:
            raise forms.ValidationError(
                STALE_VERSION_MESSAGE, code="stale", params={"yours": yours, "theirs": theirs}
            )
