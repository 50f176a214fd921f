"""`manage.py rebuild_search_index`: what save() derives, again, for rows written another way."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from articles.models import Article
from articles.search_index import rebuild_full_text_tables
from articles.services import Rebuilt, rebuild_derived


class Command(BaseCommand):
    help = (
        "Derive every article's summary and search data again from its stored content, "
        "sanitize bodies that were stored without the sanitizer, and rebuild SQLite's "
        "full-text tables. For data loaded another way (a restore, raw SQL, loaddata)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="articles per transaction")

    def handle(self, *args, **options):
        start = time.monotonic()
        total = Article.objects.count()
        progress = options["verbosity"] >= 1
        done = Rebuilt()
        for done in rebuild_derived(max(1, options["batch_size"])):
            if progress:
                self.stderr.write(f"{done.seen:,} / {total:,} articles…")
        if progress:
            self.stderr.write("search indexes…")
        rebuild_full_text_tables(connection)
        self.stdout.write(self.style.SUCCESS(f"{done} ({time.monotonic() - start:.1f} s)"))
