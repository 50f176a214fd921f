"""`manage.py import_articles`: thin wrapper over articles.ingest.service.import_paths."""

import argparse
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from articles.images.service import fetch_images
from articles.ingest.service import (
    CONFLICT,
    FAILED,
    STALE,
    ImportOptions,
    Summary,
    default_jobs,
    import_paths,
)
from articles.models import Image
from articles.tasks import fetch_images_later, import_files


def shard(value):
    """'K/N' as (K, N), 1 ≤ K ≤ N."""
    try:
        part, parts = (int(number) for number in value.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not K/N, e.g. 1/4") from None
    if not 1 <= part <= parts:
        raise argparse.ArgumentTypeError(f"{value!r}: K must be between 1 and N")
    return part, parts


class Command(BaseCommand):
    help = (
        "Import archived feed articles (files or directories, recursively). Re-imports are "
        "idempotent and never overwrite an editor's changes."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", help="files or directories (default: seeds/)")
        parser.add_argument("--dry-run", action="store_true", help="report, write nothing")
        parser.add_argument(
            "--publish", action="store_true", help="new articles go live at their publish time"
        )
        parser.add_argument("--encoding", help="decode files with this codec, e.g. gbk or big5")
        parser.add_argument("--source", dest="source_name", help="override the publisher name")
        parser.add_argument("--language", help="override the language (BCP 47, e.g. zh-Hant)")
        parser.add_argument("--report", help="write one JSON line per file to this path")
        parser.add_argument(
            "--fetch-images",
            action="store_true",
            help="then copy these articles' pending or failed images into media storage, "
            "waiting for them (otherwise a background task fetches them)",
        )
        parser.add_argument(
            "--batch-size", type=int, default=200, help="files per transaction (each stays atomic)"
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=default_jobs(),
            help="processes that read, parse and sanitize while this one writes "
            "(default: one per core; 1 does everything in this process)",
        )
        parser.add_argument(
            "--shard",
            type=shard,
            help="K/N: import only part K of N of the files (by a stable hash of each path "
            "below the folder named), so N importers can share one archive",
        )
        parser.add_argument(
            "--in-background",
            action="store_true",
            help="queue the import for a task worker and return at once (--publish only)",
        )

    def handle(self, *args, **options):
        paths = options["paths"] or [Path(settings.BASE_DIR) / "seeds"]
        missing = [str(p) for p in paths if not Path(p).exists()]
        if missing:
            raise CommandError(f"no such file or directory: {', '.join(missing)}")
        if options["in_background"]:
            result = import_files.enqueue(
                [str(Path(p).resolve()) for p in paths], options["publish"]
            )
            self.stdout.write(f"queued for a worker: task {result.id}")
            return
        import_options = ImportOptions(
            publish=options["publish"],
            encoding=options["encoding"],
            source_name=options["source_name"],
            language=options["language"],
            dry_run=options["dry_run"],
        )
        verbosity = options["verbosity"]
        progress = verbosity >= 1 and self.stderr.isatty()
        report = open(options["report"], "w", encoding="utf-8") if options["report"] else None  # noqa: SIM115
        summary = Summary()
        article_ids = set()
        try:
            for index, outcome in enumerate(
                import_paths(
                    paths,
                    import_options,
                    batch_size=max(1, options["batch_size"]),
                    jobs=max(1, options["jobs"]),
                    shard=options["shard"],
                ),
                1,
            ):
                summary.add(outcome)
                if outcome.article_id:
                    article_ids.add(outcome.article_id)
                if report:
                    report.write(outcome.as_json() + "\n")
                self._show(outcome, verbosity)
                if progress and index % 50 == 0:
                    self.stderr.write(f"\r{index} files… {summary}", ending="")
        finally:
            if report:
                report.close()
        if progress:
            self.stderr.write("\r", ending="")
        prefix = "dry run, nothing written: " if import_options.dry_run else ""
        style = self.style.ERROR if summary.counts[FAILED] else self.style.SUCCESS
        self.stdout.write(style(prefix + str(summary)))
        if options["fetch_images"] and not import_options.dry_run:
            self._fetch_images(article_ids)
        elif not import_options.dry_run:
            fetch_images_later(article_ids)
        if summary.counts[FAILED]:
            sys.exit(1)

    def _fetch_images(self, article_ids):
        """A failed image is reported, not fatal: its article is imported either way."""
        images = fetch_images(Image.objects.filter(article_id__in=article_ids))
        for image, reason in images.failures:
            self.stderr.write(self.style.WARNING(f"{image.original_url}: {reason}"))
        style = self.style.WARNING if images.failed else self.style.SUCCESS
        self.stdout.write(style(str(images)))

    def _show(self, outcome, verbosity):
        if outcome.outcome == FAILED:
            self.stderr.write(self.style.ERROR(f"{outcome.path}:{outcome.line}: {outcome.reason}"))
        elif outcome.outcome in (CONFLICT, STALE) and verbosity >= 1:
            self.stdout.write(
                self.style.WARNING(f"{outcome.path}: {outcome.outcome}: {outcome.reason}")
            )
        elif verbosity >= 2:
            self.stdout.write(f"{outcome.path}: {outcome.outcome} (article {outcome.article_id})")
        if verbosity >= 2:
            for warning in outcome.warnings:
                self.stdout.write(f"{outcome.path}: warning: {warning}")
