"""The desk's view of background work: upload imports (and their reports), ingest sources.

Editors upload files here; a task imports them (`articles.tasks.run_import_job`) and the job's
page shows its progress, its summary and every file's outcome with the reason.
"""

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from articles.desk.forms import PlainHelpTextMixin
from articles.ingest import uploads
from articles.ingest.service import CONFLICT, FAILED, STALE, Summary
from articles.models import ImportJob, IngestSource
from articles.tasks import import_uploads_later, poll_later

# Outcomes an editor must look at; the rest are listed after them.
NOTEWORTHY = (FAILED, CONFLICT, STALE)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(file, initial) for file in files if file]


class ImportUploadForm(PlainHelpTextMixin, forms.ModelForm):
    files = MultipleFileField(
        help_text="Article files of the archive's format, or .zip files of them (several at once).",
        widget=MultipleFileInput(attrs={"accept": ".txt,.md,.zip"}),
    )

    class Meta:
        model = ImportJob
        fields = ("publish",)

    def clean_files(self):
        files = self.cleaned_data["files"]
        if not files:
            raise forms.ValidationError("Choose at least one file.")
        return files


def summary_text(job):
    """The command's summary line, for the counts the job has so far."""
    summary = Summary()
    summary.counts.update(job.counts)
    return str(summary) if job.counts else "—"


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "status", "progress", "summary")
    list_filter = ("status",)
    list_select_related = ("user",)
    readonly_fields = (
        "status",
        "progress",
        "summary",
        "user",
        "publish",
        "created_at",
        "started_at",
        "finished_at",
        "error",
        "outcomes",
    )

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = ImportUploadForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request, obj=None):
        return ("files", "publish") if obj is None else self.readonly_fields

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def has_change_permission(self, request, obj=None):
        return False  # a job is a record: its page is read-only

    def save_model(self, request, obj, form, change):
        job = uploads.create_job(form.cleaned_data["files"], user=request.user, publish=obj.publish)
        obj.pk = job.pk
        import_uploads_later(job)
        messages.info(request, "The files are being imported in the background; reload to follow.")

    def save_form(self, request, form, change):
        return form.save(commit=False)

    def response_add(self, request, obj, post_url_continue=None):
        """To the job's own page, where progress and the report appear."""
        return HttpResponseRedirect(reverse("admin:articles_importjob_change", args=[obj.pk]))

    @admin.display(description="Progress")
    def progress(self, job):
        return f"{job.processed} of {job.total} files" if job.total else "—"

    @admin.display(description="Summary")
    def summary(self, job):
        return summary_text(job)

    @admin.display(description="Files")
    def outcomes(self, job):
        rows = sorted(job.report, key=lambda row: row["outcome"] not in NOTEWORTHY)
        if not rows:
            return "—"
        body = format_html_join(
            "",
            '<tr class="outcome-{}"><td>{}</td><td>{}</td><td>{}</td></tr>',
            (
                (
                    row["outcome"],
                    row["path"],
                    row["outcome"],
                    f"line {row['line']}: {row['reason']}" if row["line"] else row["reason"],
                )
                for row in rows
            ),
        )
        return format_html(
            '<table class="import-report"><thead><tr><th>File</th><th>Outcome</th>'
            "<th>Reason</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )


@admin.register(IngestSource)
class IngestSourceAdmin(admin.ModelAdmin):
    """Sources the worker polls on its own; saving one polls it at once."""

    list_display = (
        "name",
        "kind",
        "path",
        "enabled",
        "interval_seconds",
        "last_run_at",
        "last_summary",
        "health",
        "next_run_at",
    )
    list_filter = ("enabled", "kind")
    actions = ["poll_now"]
    readonly_fields = (
        "last_run_at",
        "last_success_at",
        "last_summary",
        "last_error",
        "failures",
        "next_run_at",
    )
    fieldsets = (
        (None, {"fields": ("name", "kind", "path", "enabled", "publish", "interval_seconds")}),
        ("Last polls", {"fields": readonly_fields}),
    )

    @admin.display(description="Health")
    def health(self, source):
        if not source.failures:
            return "OK"
        return format_html(
            '<span class="source-failing">{} failed poll(s): {}</span>',
            source.failures,
            source.last_error,
        )

    def save_model(self, request, obj, form, change):
        if "enabled" in form.changed_data and obj.enabled:
            obj.failures = 0  # enabled again by an editor: a fresh count of failures
        super().save_model(request, obj, form, change)
        poll_later(obj)

    @admin.action(description="Poll now")
    def poll_now(self, request, queryset):
        for source in queryset.filter(enabled=True):
            poll_later(source)
        self.message_user(request, "Polling in the background; reload to see the outcome.")
