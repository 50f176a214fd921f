"""Articles and their images.

Every HTML body passes through `articles.sanitize` in `Article.save()`, so the admin, the
importer, the shell and any later API store the same sanitized HTML.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from articles import front_cache, page_cache
from articles.languages import localized_reverse, site_language
from articles.sanitize import clean_text, sanitize_html, summarize_sanitized
from articles.search_index import BigramsField, search_bigrams, search_document


def _refuse_content(method, fields):
    refused = sorted({*fields} & {*Article.CONTENT_FIELDS, *Article.DERIVED_FIELDS})
    if refused:
        raise TypeError(
            f"Article.objects.{method}() cannot set {', '.join(refused)}: "
            "change them on the instance and call save(), which sanitizes them."
        )


def _bulk_changed():
    """update() and bulk_create() send no signals; the caches must still see the change."""
    page_cache.content_changed()
    front_cache.bulk_changed()


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """The one definition of public: status published and a publish time not in the future."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def scheduled(self):
        """Published articles whose time has not come yet."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())

    def with_conflicts(self):
        return self.filter(pending_import__isnull=False)

    def update(self, **kwargs):
        """Refuse content fields: update() skips save(), where they are sanitized and derived."""
        _refuse_content("update", kwargs)
        count = super().update(**kwargs)
        _bulk_changed()
        return count

    def bulk_update(self, objs, fields, *args, **kwargs):
        _refuse_content("bulk_update", fields)
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update_derived(self, articles):
        """Write the derived fields of articles whose stored content derive_fields() keeps as
        it is (rebuild_search_index); content it would change must go through save().

        One UPDATE per article, past the refusal in update(): bulk_update() goes through it.
        """
        for article in articles:
            stored = article._content()
            article.derive_fields()
            if article._content() != stored:
                raise ValueError(f"article {article.pk}: its content changes; save() it instead")
            derived = {name: getattr(article, name) for name in Article.DERIVED_FIELDS}
            super(ArticleQuerySet, self.filter(pk=article.pk)).update(**derived)
        if articles:
            _bulk_changed()

    def bulk_create(self, objs, *args, **kwargs):
        """bulk_create() skips save(): sanitize and derive here, as save() would."""
        objs = list(objs)
        for article in objs:
            article.derive_fields()
        created = super().bulk_create(objs, *args, **kwargs)
        _bulk_changed()
        return created

    def neighbours(self, article):
        """The next older and newer articles of this queryset: two indexed one-row queries."""
        when = article.published_at
        older = (
            self.filter(published_at__lte=when)
            .exclude(published_at=when, id__gte=article.id)
            .order_by("-published_at", "-id")
        )
        newer = (
            self.filter(published_at__gte=when)
            .exclude(published_at=when, id__lte=article.id)
            .order_by("published_at", "id")
        )
        return {"older": older.first(), "newer": newer.first()}


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        REVIEW = "review", _("In review")
        PUBLISHED = "published", _("Published")

    title = models.CharField(max_length=500, help_text=_("Plain text; HTML is shown as typed."))
    slug = models.SlugField(
        max_length=200,
        unique=True,
        allow_unicode=False,
        help_text=_("The article's address: /articles/<slug>/. ASCII letters, digits and hyphens."),
    )
    dateline = models.CharField(
        max_length=200, blank=True, help_text=_("Where the story was filed, e.g. 华盛顿.")
    )
    byline = models.CharField(
        max_length=300,
        blank=True,
        help_text="Who wrote the article, as the source credits them (plain text).",
    )
    body = models.TextField(
        blank=True, help_text=_("Sanitized on save: scripts and styles are removed.")
    )
    summary = models.TextField(blank=True, editable=False, help_text="Derived from the body.")
    search_text = models.TextField(
        blank=True, editable=False, help_text="Derived plain text that reader search indexes."
    )
    search_bigrams = BigramsField(
        blank=True, editable=False, help_text="Derived from search_text: its CJK character pairs."
    )
    status = models.CharField(
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Readers see an article when it is Published and its publish time has passed."),
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("When the article goes live; a future time schedules it."),
    )
    language = models.CharField(
        max_length=35, default="en", db_index=True, help_text=_("BCP 47 tag, e.g. zh-Hans, en, fa.")
    )
    source_url = models.URLField(
        max_length=2000,
        unique=True,
        null=True,
        blank=True,
        help_text="The original article; re-imports match on it.",
    )
    source_name = models.CharField(max_length=200, blank=True, db_index=True)
    source_id = models.CharField(max_length=100, blank=True, help_text="The publisher's own id.")
    captured_at = models.DateTimeField(
        null=True, blank=True, help_text="When the feed archiver captured the item (UTC)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised on every save; guards against lost edits."
    )

    # Import provenance: which file last set this article, and what it said.
    import_file_name = models.CharField(max_length=500, blank=True)
    import_hash = models.CharField(max_length=64, blank=True, help_text="SHA-256 of the file.")
    imported_at = models.DateTimeField(null=True, blank=True)
    imported_values = models.JSONField(
        null=True,
        blank=True,
        help_text="The fields as last imported, to tell editors' changes apart.",
    )
    pending_import = models.JSONField(
        null=True,
        blank=True,
        help_text="An incoming version that conflicts with an editor's changes, awaiting review.",
    )

    # What editors and the importer write, sanitized or cleaned on save...
    CONTENT_FIELDS = ("title", "dateline", "byline", "body")
    # ...and what save() derives from it: never edited, never kept in the history.
    DERIVED_FIELDS = ("summary", "search_text", "search_bigrams")

    objects = ArticleQuerySet.as_manager()
    history = HistoricalRecords(
        excluded_fields=[*DERIVED_FIELDS, "imported_values", "pending_import"]
    )

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "-published_at"], name="article_public_idx")]

    def __str__(self):
        return self.title

    def save(self, *args, update_fields=None, **kwargs):
        """Sanitize the content and derive the fields that follow from it, then save.

        `update_fields` naming a content field saves its derived fields with it; `version`
        counts every save and `updated_at` is its time, so both are always written.
        """
        if update_fields is None or {*update_fields} & {*self.CONTENT_FIELDS}:
            self.derive_fields()
        if update_fields is not None:
            update_fields = {*update_fields, "version", "updated_at"}
            if update_fields & {*self.CONTENT_FIELDS}:
                update_fields |= {*self.DERIVED_FIELDS}
        if self.pk is not None:
            self.version = (self.version or 0) + 1
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self):
        """The article under its own language's prefix, whoever is reading."""
        return localized_reverse(site_language(self.language), "articles:detail", slug=self.slug)

    def get_script_url(self, script):
        """A Chinese article converted to `script` (zh-hans or zh-hant): its own page."""
        return localized_reverse(script, "articles:detail", slug=self.slug)

    def derive_fields(self):
        """Sanitize the body, clean the plain-text fields and derive the rest from them.

        The one gate into the database: save() and bulk_create() call it; update() and
        bulk_update() refuse these fields. Content that is exactly what the last call produced
        is not derived again: the importer derives in a worker process, and the writer's
        save() then costs no second pass of the sanitizer.
        """
        if self._content() == getattr(self, "_derived_content", None):
            return
        self.title = clean_text(self.title)
        self.dateline = clean_text(self.dateline)
        self.byline = clean_text(self.byline)
        self.body = sanitize_html(self.body)
        self.summary = summarize_sanitized(self.body)
        self.search_text = search_document(self.title, self.dateline, self.body)
        self.search_bigrams = search_bigrams(self.search_text)
        self._derived_content = self._content()

    def _content(self):
        return tuple(getattr(self, name) for name in self.CONTENT_FIELDS)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def lead_image(self):
        """The lead image, from prefetched images when the caller prefetched them."""
        for image in self.images.all():
            if image.role == Image.Role.LEAD:
                return image
        return None


class ImageQuerySet(models.QuerySet):
    def update(self, **kwargs):
        count = super().update(**kwargs)
        _bulk_changed()
        return count

    def bulk_create(self, objs, *args, **kwargs):
        """bulk_create() skips save(): clean the text fields here, as save() would."""
        objs = list(objs)
        for image in objs:
            image.clean_text_fields()
        return super().bulk_create(objs, *args, **kwargs)


class Image(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead")
        INLINE = "inline", _("Inline")

    class FetchStatus(models.TextChoices):
        PENDING = "pending", _("Not fetched")
        FETCHED = "fetched", _("Fetched")
        FAILED = "failed", _("Failed")

    article = models.ForeignKey(Article, related_name="images", on_delete=models.CASCADE)
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.INLINE)
    position = models.PositiveIntegerField(default=0)
    original_url = models.URLField(
        max_length=2000, blank=True, help_text="Where the picture came from (proxy unwrapped)."
    )
    file = models.ImageField(
        upload_to="images/%Y/%m/", blank=True, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    fetch_status = models.CharField(
        max_length=10, choices=FetchStatus.choices, default=FetchStatus.PENDING, editable=False
    )
    fetch_error = models.CharField(max_length=500, blank=True, editable=False)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=300, blank=True)
    alt_text = models.CharField(
        max_length=500, blank=True, help_text="Describes the picture for readers who cannot see it."
    )

    objects = ImageQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.caption[:60] or self.original_url or f"Image {self.pk}"

    def save(self, *args, **kwargs):
        self.clean_text_fields()
        super().save(*args, **kwargs)

    def clean_text_fields(self):
        self.caption = clean_text(self.caption)
        self.credit = clean_text(self.credit)
        self.alt_text = clean_text(self.alt_text)


class AuditEntry(models.Model):
    """Who did what to which article, for imports as well as admin actions (append-only)."""

    class Event(models.TextChoices):
        IMPORT_CREATED = "import_created", _("Imported (new)")
        IMPORT_UPDATED = "import_updated", _("Re-imported (updated)")
        IMPORT_CONFLICT = "import_conflict", _("Import conflict")
        IMPORT_ACCEPTED = "import_accepted", _("Incoming version accepted")
        IMPORT_DISMISSED = "import_dismissed", _("Incoming version dismissed")
        CREATED = "created", _("Created")
        EDITED = "edited", _("Edited")
        PUBLISHED = "published", _("Published")
        UNPUBLISHED = "unpublished", _("Unpublished")
        RESTORED = "restored", _("Revision restored")

    article = models.ForeignKey(
        Article, null=True, on_delete=models.SET_NULL, related_name="audit_entries"
    )
    article_title = models.CharField(
        max_length=500, blank=True, help_text="The title at the time, kept if the article goes."
    )
    event = models.CharField(max_length=20, choices=Event.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Empty for the importer.",
    )
    detail = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit trail"
        indexes = [models.Index(fields=["article", "-created_at"], name="audit_article_idx")]

    def __str__(self):
        return f"{self.get_event_display()}: {self.article_title}"


class ImportJob(models.Model):
    """Files an editor uploaded in the admin, imported in the background; its report stays."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, help_text="The last progress saved.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    publish = models.BooleanField(
        default=False, help_text="New articles go live at their publish time (default: drafts)."
    )
    uploads = models.JSONField(default=list, help_text="Names of the uploads in media storage.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0, help_text="Article files found.")
    processed = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, help_text="Outcomes so far, as the command counts.")
    report = models.JSONField(default=list, help_text="One entry per file, as --report writes.")
    error = models.TextField(blank=True, help_text="Why the whole job failed, if it did.")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "upload import"

    def __str__(self):
        return f"Upload import {self.pk} ({self.get_status_display()})"


class IngestSource(models.Model):
    """A folder (or a git checkout of a feed archive, pulled first) that the worker polls."""

    class Kind(models.TextChoices):
        FOLDER = "folder", "Folder"
        GIT = "git", "Git checkout (pulled before each poll)"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FOLDER)
    path = models.CharField(max_length=1000, help_text="An absolute path on the worker's machine.")
    enabled = models.BooleanField(default=True)
    publish = models.BooleanField(
        default=False, help_text="New articles go live at their publish time (default: drafts)."
    )
    interval_seconds = models.PositiveIntegerField(
        default=60, help_text="Seconds between polls; after a failure, longer (backoff)."
    )
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)
    last_summary = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    failures = models.PositiveIntegerField(default=0, help_text="Failed polls in a row.")
    next_run_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="A worker is polling until then."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class IngestedFile(models.Model):
    """What a source's poll last saw of one file, so the next poll imports only changes."""

    source = models.ForeignKey(IngestSource, on_delete=models.CASCADE, related_name="files")
    path = models.CharField(max_length=1000)
    size = models.BigIntegerField()
    mtime_ns = models.BigIntegerField()
    content_hash = models.CharField(max_length=64)
    outcome = models.CharField(max_length=10)
    article_id = models.BigIntegerField(null=True, blank=True)
    seen_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "path"], name="ingested_file_once")
        ]

    def __str__(self):
        return self.path


class ApiTokenQuerySet(models.QuerySet):
    def active(self):
        """Tokens that still open drafts: not revoked, and their staff owner still active."""
        return self.filter(revoked_at__isnull=True, user__is_active=True, user__is_staff=True)


class ApiToken(models.Model):
    """A staff member's key for reading drafts through the Content API, as the preview link does.

    Only a SHA-256 digest is stored: the key itself is shown once, when the token is created.
    """

    class Scope(models.TextChoices):
        READ_DRAFTS = "drafts:read", "Read drafts and scheduled articles"

    name = models.CharField(max_length=200, help_text="What the key is for, e.g. 'iOS app QA'.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    scope = models.CharField(max_length=20, choices=Scope.choices, default=Scope.READ_DRAFTS)
    prefix = models.CharField(max_length=8, editable=False, help_text="Tells keys apart.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(
        null=True, blank=True, help_text="Set to revoke: the key stops working at once."
    )

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
