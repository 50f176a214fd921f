"""The editorial desk: articles with their images, revisions, import conflicts and audit trail.

Business rules live in `articles.ingest.service` and `articles.models`; this module wires them into
the admin and tells the editor what happened.
"""

from django.contrib import admin, messages
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.db.models.expressions import ExpressionWrapper
from django.db.models.fields import BooleanField
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from articles import audit, services
from articles.api import tokens as api_tokens
from articles.desk.forms import ArticleAdminForm
from articles.desk.preview import PREVIEW_LINK_MAX_AGE, signed_preview_path
from articles.desk.textdiff import render_article_diff
from articles.images.admin import ImageInlineForm, after_images_saved, fetch_images_action
from articles.models import ApiToken, Article, AuditEntry, Image
from articles.tasks import fetch_images_later

Event = audit.Event
# Fields loaded only on the change page; a changelist row never needs them.
_HEAVY_FIELDS = ("body", *Article.DERIVED_FIELDS, "imported_values", "pending_import")
RECENT_AUDIT_ENTRIES = 10


def _short_time(value):
    """A compact local time for list columns (the site's zone, shown in the form's help text)."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else "—"


class ImageInline(admin.StackedInline):
    """Stacked: captions are long and Chinese; a row per field reads better than a wide table."""

    model = Image
    form = ImageInlineForm
    extra = 0
    fields = (
        "thumbnail",
        "fetch_state",
        "position",
        "role",
        "original_url",
        "file",
        "caption",
        "credit",
        "alt_text",
    )
    readonly_fields = ("thumbnail", "fetch_state")
    ordering = ("position", "id")

    @admin.display(description=_("Our copy"))
    def fetch_state(self, image):
        """Pending, fetched or failed with the reason: background fetches report here."""
        if image.fetch_status == Image.FetchStatus.FAILED:
            return f"{image.get_fetch_status_display()}: {image.fetch_error}"
        return image.get_fetch_status_display()

    @admin.display(description=_("Preview"))
    def thumbnail(self, image):
        url = image.file.url if image.file else image.original_url
        if not url:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" class="newsroom-thumb" loading="lazy" '
            'referrerpolicy="no-referrer">',
            url,
            image.alt_text or gettext("picture preview"),
        )


class ConflictFilter(admin.SimpleListFilter):
    title = _("import conflict")
    parameter_name = "conflict"

    def lookups(self, request, model_admin):
        return [("yes", _("Incoming version waiting")), ("no", _("None"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_conflicts()
        if self.value() == "no":
            return queryset.filter(pending_import__isnull=True)
        return queryset


class ArticleChangeList(ChangeList):
    def get_queryset(self, request, exclude_parameters=None):
        # A page of rows costs one query however long the bodies are.
        return (
            super()
            .get_queryset(request, exclude_parameters)
            .defer(*_HEAVY_FIELDS)
            .annotate(
                has_conflict=ExpressionWrapper(
                    Q(pending_import__isnull=False), output_field=BooleanField()
                )
            )
        )


@admin.register(Article)
class ArticleAdmin(SimpleHistoryAdmin):
    form = ArticleAdminForm
    inlines = [ImageInline]
    # The conflict flag sits early so a narrow window still shows it.
    list_display = ("title", "status", "conflict", "published", "source", "language", "updated")
    list_filter = ("status", "source_name", "language", ConflictFilter)
    search_fields = ("title", "body", "source_url")
    date_hierarchy = "published_at"
    ordering = ("-updated_at", "-id")
    list_per_page = 100
    list_select_related = True
    actions = ["publish", "unpublish", fetch_images_action]
    save_on_top = True
    readonly_fields = (
        "source_link",
        "source_name",
        "source_id",
        "captured_at",
        "import_file_name",
        "import_hash",
        "imported_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (_("Content"), {"fields": ("title", "slug", "dateline", "byline", "body")}),
        (_("Publishing"), {"fields": ("status", "published_at", "language", "loaded_version")}),
        (
            _("Source and provenance"),
            {"classes": ("collapse",), "fields": readonly_fields},
        ),
    )
    change_form_template = "admin/articles/article/change_form.html"
    object_history_template = "admin/articles/article/object_history.html"

    class Media:
        css = {"all": ["articles/admin.css"]}

    # Changelist

    def get_changelist(self, request, **kwargs):
        return ArticleChangeList

    @admin.display(description=_("Published at"), ordering="published_at")
    def published(self, article):
        return _short_time(article.published_at)

    @admin.display(description=_("Source"), ordering="source_name")
    def source(self, article):
        return article.source_name

    @admin.display(description=_("Updated"), ordering="updated_at")
    def updated(self, article):
        return _short_time(article.updated_at)

    @admin.display(description=_("Conflict"), ordering="-has_conflict")
    def conflict(self, article):
        """Only a waiting import is flagged; a red cross on every clean row reads as an error."""
        if article.has_conflict:
            flag = gettext("⚠ incoming version")
            return format_html('<span class="conflict-flag">{}</span>', flag)
        return ""

    @admin.display(description=_("Source URL"))
    def source_link(self, article):
        if not article.source_url:
            return "—"
        return format_html(
            '<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>',
            article.source_url,
            article.source_url,
        )

    @admin.action(description=_("Publish selected articles (now, unless a time is set)"))
    def publish(self, request, queryset):
        def done(n):
            return ngettext("Published: %(count)d article.", "Published: %(count)d articles.", n)

        self._set_status(request, queryset, Article.Status.PUBLISHED, services.publish, done)

    @admin.action(description=_("Unpublish selected articles (back to draft)"))
    def unpublish(self, request, queryset):
        def done(n):
            return ngettext(
                "Unpublished: %(count)d article.", "Unpublished: %(count)d articles.", n
            )

        self._set_status(request, queryset, Article.Status.DRAFT, services.unpublish, done)

    def _set_status(self, request, queryset, status, change, done):
        articles = queryset.exclude(status=status).defer(None)
        for article in articles:
            change(article, request.user, detail="bulk action")
        if status == Article.Status.PUBLISHED:
            fetch_images_later([article.pk for article in articles])
        count = len(articles)
        self.message_user(request, done(count) % {"count": count}, messages.SUCCESS)

    # Change form

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.slug else {"slug": ("title",)}

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and self._is_restore(request):
            self._keep_current_fields(obj)
        return super().get_form(request, obj, change, **kwargs)

    @staticmethod
    def _is_restore(request):
        match = request.resolver_match
        return match is not None and match.url_name == "articles_article_simple_history"

    @staticmethod
    def _keep_current_fields(revision):
        """A restore brings back the editorial fields only; provenance, conflict and version
        stay as they are now (the history does not even keep some of them)."""
        current = Article.objects.get(pk=revision.pk)
        for field in Article._meta.concrete_fields:
            if field.name not in ArticleAdminForm.Meta.fields:
                setattr(revision, field.attname, getattr(current, field.attname))

    def save_model(self, request, obj, form, change):
        restoring = change and self._is_restore(request)
        if restoring:
            obj._change_reason = "restored an earlier revision"
        was_public = form.initial.get("status") == Article.Status.PUBLISHED
        is_public = obj.status == Article.Status.PUBLISHED
        if is_public and not was_public:
            services.publish(obj, request.user)
            fetch_images_later([obj.pk])
        elif was_public and not is_public:
            services.unpublish(obj, request.user)
        else:
            super().save_model(request, obj, form, change)
        self._record_save(request, obj, form, change, restoring)
        if form.removed_from_body:
            removed = ", ".join(form.removed_from_body)
            messages.warning(request, gettext("Removed from the body: %s") % removed)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        after_images_saved(request, form.instance)

    @staticmethod
    def _record_save(request, article, form, change, restoring):
        if restoring:
            revision = request.resolver_match.args[-1]
            audit.record(Event.RESTORED, article, request.user, detail=f"revision {revision}")
        elif change:
            changed = [name for name in form.changed_data if name != "loaded_version"]
            audit.record(Event.EDITED, article, request.user, detail=", ".join(changed))
        else:
            audit.record(Event.CREATED, article, request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        article = self.get_object(request, object_id)
        if article is not None:
            extra_context = {**(extra_context or {}), **self._desk_context(request, article)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _desk_context(self, request, article):
        pending = article.pending_import
        context = {
            "preview_url": reverse("preview:staff", args=[article.pk]),
            "share_url": request.build_absolute_uri(signed_preview_path(article)),
            "share_days": PREVIEW_LINK_MAX_AGE.days,
            "audit_entries": article.audit_entries.select_related("user")[:RECENT_AUDIT_ENTRIES],
            "audit_url": reverse("admin:articles_auditentry_changelist") + f"?article={article.pk}",
            "pending": pending,
        }
        if pending:
            incoming = pending["values"]
            current = services.current_values(article)
            context["pending_diff"] = render_article_diff(
                article.title, article.body, incoming["title"], incoming["body"]
            )
            context["pending_other_changes"] = [
                name
                for name in current
                if name not in ("title", "body") and current[name] != incoming[name]
            ]
            context["pending_captured_at"] = parse_datetime(pending.get("captured_at") or "")
            context["pending_received_at"] = parse_datetime(pending.get("received_at") or "")
        return context

    # Import conflicts and revision diffs

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/accept-import/",
                view(self.accept_import_view),
                name="articles_article_accept_import",
            ),
            path(
                "<int:pk>/dismiss-import/",
                view(self.dismiss_import_view),
                name="articles_article_dismiss_import",
            ),
            path(
                "<int:pk>/compare/",
                view(self.compare_view),
                name="articles_article_compare",
            ),
            *super().get_urls(),
        ]

    def _resolve_pending(self, request, pk, service, done):
        article = get_object_or_404(Article, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        try:
            service(article, request.user)
        except services.NoPendingImport:
            message = gettext("No incoming version is waiting any more.")
            self.message_user(request, message, messages.INFO)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:articles_article_change", args=[pk]))

    def accept_import_view(self, request, pk):
        return require_POST(self._resolve_pending)(
            request,
            pk,
            services.accept_pending_import,
            gettext("The incoming version replaced the article text."),
        )

    def dismiss_import_view(self, request, pk):
        return require_POST(self._resolve_pending)(
            request,
            pk,
            services.dismiss_pending_import,
            gettext("The incoming version was dismissed; the article keeps your text."),
        )

    def compare_view(self, request, pk):
        """Title and body of two revisions, as an escaped diff (?old=<id>&new=<id>)."""
        article = get_object_or_404(Article, pk=pk)
        if not self.has_view_history_or_change_history_permission(request, article):
            raise PermissionDenied
        revisions = article.history.all()
        new = self._revision(revisions, request.GET.get("new")) or revisions.first()
        old = self._revision(revisions, request.GET.get("old")) or new.prev_record or new
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Compare revisions: %s") % article,
            "opts": self.model._meta,
            "original": article,
            "old": old,
            "new": new,
            "revisions": revisions.select_related("history_user"),
            "diff": render_article_diff(old.title, old.body, new.title, new.body),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    @staticmethod
    def _revision(revisions, history_id):
        if not (history_id or "").isdigit():
            return None
        return revisions.filter(history_id=history_id).first()


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The site-wide audit trail, read-only: entries are written by `articles.audit.record`."""

    list_display = ("created_at", "event", "article_link", "user", "detail")
    list_filter = ("event", "created_at")
    search_fields = ("article_title", "detail", "user__username")
    date_hierarchy = "created_at"
    list_select_related = ("user",)
    list_per_page = 100

    def lookup_allowed(self, lookup, value, request=None):
        return lookup == "article" or super().lookup_allowed(lookup, value, request)

    @admin.display(description=_("Article"), ordering="article_title")
    def article_link(self, entry):
        if entry.article_id is None:
            return entry.article_title
        url = reverse("admin:articles_article_change", args=[entry.article_id])
        return format_html('<a href="{}">{}</a>', url, entry.article_title)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Staff keys for reading drafts through the Content API: the key is shown once, on creation."""

    list_display = ("name", "prefix", "user", "scope", "created_at", "revoked_at")
    list_filter = ("scope", ("revoked_at", admin.EmptyFieldListFilter))
    fields = ("name", "scope", "prefix", "user", "created_at", "revoked_at")
    readonly_fields = ("prefix", "user", "created_at")
    actions = ("revoke",)

    def get_queryset(self, request):
        tokens = super().get_queryset(request).select_related("user")
        return tokens if request.user.is_superuser else tokens.filter(user=request.user)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.user = request.user
            key = api_tokens.assign_key(obj)
            messages.warning(
                request,
                f"The key for “{obj.name}”, shown only now: {key} — send it as "
                "`Authorization: Bearer <key>`.",
            )
        super().save_model(request, obj, form, change)

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            api_tokens.revoke(token)
        messages.success(request, "Revoked: those keys no longer open drafts.")
