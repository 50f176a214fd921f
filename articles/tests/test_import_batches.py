"""Batched, pipelined import: the same outcomes as file by file, for a fixed number of queries."""

import shutil
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import audit
from articles.ingest import store
from articles.ingest.service import ImportOptions, import_file, import_paths, iter_article_files
from articles.models import Article, AuditEntry, Image

DATA = Path(__file__).parent / "data"
MINIMAL = (DATA / "minimal.txt").read_text(encoding="utf-8")

pytestmark = pytest.mark.django_db


def write_articles(folder, count, *, stamp=1739120343000, text="第二段。"):
    """`count` files of distinct articles, numbered in file order."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        body = MINIMAL.replace("/7968001.html", f"/{8000000 + n}.html").replace("第二段。", text)
        body = body.replace("<!--1739120343000-->", f"<!--{stamp}-->")
        (folder / f"{n:04}.txt").write_text(body, encoding="utf-8")
    return folder


def summary(outcomes):
    return [(Path(o.path).name, o.outcome, o.reason, o.line, o.warnings) for o in outcomes]


def test_a_batch_of_new_files_costs_the_same_queries_as_a_batch_of_two(tmp_path):
    counts = []
    for size in (2, 12):
        folder = write_articles(tmp_path / f"n{size}", size)
        Article.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            outcomes = list(import_paths([folder]))
        assert [o.outcome for o in outcomes] == ["created"] * size
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert Image.objects.count() == 12
    history = Article.history.filter(id__in=Article.objects.values("id"))
    assert history.filter(history_change_reason__startswith="imported from").count() == 12
    assert Image.history.filter(id__in=Image.objects.values("id")).count() == 12
    created = AuditEntry.objects.filter(event=audit.Event.IMPORT_CREATED)
    assert created.filter(article__isnull=False).count() == 12


def test_a_reimport_of_an_unchanged_batch_writes_nothing(tmp_path, django_assert_num_queries):
    folder = write_articles(tmp_path / "files", 12)
    list(import_paths([folder]))
    history = Article.history.count()
    # savepoint, the batch's articles (locked) and their images, release
    with django_assert_num_queries(4):
        assert {o.outcome for o in import_paths([folder])} == {"unchanged"}
    assert Article.history.count() == history


@pytest.mark.parametrize("jobs", [1, 2])
def test_outcomes_come_in_file_order_whatever_the_jobs(jobs):
    expected = summary(import_paths([DATA], ImportOptions(dry_run=True), jobs=1))
    assert summary(import_paths([DATA], jobs=jobs, batch_size=7)) == expected
    assert Article.objects.count() == sum(1 for row in expected if row[1] == "created")


@pytest.mark.parametrize("jobs", [1, 2])
def test_two_copies_of_one_url_in_one_batch_end_with_the_newer(tmp_path, jobs):
    write_articles(tmp_path / "a", 1, stamp=1739120343000, text="旧版本。")
    write_articles(tmp_path / "b", 1, stamp=1739129999000, text="新版本。")
    outcomes = list(import_paths([tmp_path / "a", tmp_path / "b", tmp_path / "a"], jobs=jobs))
    assert [o.outcome for o in outcomes] == ["created", "updated", "stale"]
    assert "新版本" in Article.objects.get().body


def test_new_articles_of_one_batch_get_distinct_slugs(tmp_path):
    folder = tmp_path / "files"
    folder.mkdir()
    for n in range(3):  # one URL path word, three publisher ids
        (folder / f"{n}.txt").write_text(
            MINIMAL.replace("sample-story-20250209/7968001", f"sample-story-20250209/{n}")
        )
    Article.objects.create(title="Taken", slug="sample-story-20250209")
    list(import_paths([folder]))
    slugs = set(Article.objects.values_list("slug", flat=True))
    assert len(slugs) == 4


def test_a_row_written_by_another_importer_mid_batch_falls_back_file_by_file(tmp_path, monkeypatch):
    folder = write_articles(tmp_path / "files", 5)
    raced = folder / "0002.txt"
    real_lookup = store.stored_articles

    def another_importer_commits_after_our_lookup(urls):
        found = real_lookup(urls)
        import_file(raced)
        return found

    monkeypatch.setattr(store, "stored_articles", another_importer_commits_after_our_lookup)
    outcomes = {Path(o.path).name: o.outcome for o in import_paths([folder])}
    assert outcomes == {
        "0000.txt": "created",
        "0001.txt": "created",
        "0002.txt": "unchanged",
        "0003.txt": "created",
        "0004.txt": "created",
    }
    assert Article.objects.count() == Image.objects.count() == 5


def test_a_failure_mid_batch_keeps_the_earlier_batches_and_none_of_its_own(tmp_path, monkeypatch):
    folder = write_articles(tmp_path / "files", 4)
    calls = []

    def fail_the_second_time(entries):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        AuditEntry.objects.bulk_create(entries)

    monkeypatch.setattr(audit, "record_many", fail_the_second_time)
    with pytest.raises(RuntimeError):
        list(import_paths([folder], batch_size=2))
    assert Article.objects.count() == Image.objects.count() == AuditEntry.objects.count() == 2
    assert Article.history.count() == 2


def test_import_derives_once_and_stores_what_save_would(tmp_path):
    def derived(article):  # PostgreSQL's tsvector keeps the bigrams sorted: compare as a set
        return (
            article.body,
            article.summary,
            article.search_text,
            {*article.search_bigrams.split()},
        )

    folder = write_articles(tmp_path / "files", 2)
    list(import_paths([folder], jobs=2))
    for article in Article.objects.all():
        stored = derived(article)
        article.derive_fields()  # loaded from the database: derived again from scratch
        assert derived(article) == stored


def test_shards_divide_the_files_exactly_wherever_the_folder_is(tmp_path):
    folder = write_articles(tmp_path / "one" / "archive", 60)
    (folder / "nested").mkdir()
    (folder / "nested" / "extra.txt").write_text(MINIMAL)
    elsewhere = tmp_path / "two" / "archive"
    shutil.copytree(folder, elsewhere)

    def names(root, part):
        return {p.relative_to(root) for p in iter_article_files([root], shard=(part, 3))}

    parts = [names(folder, part) for part in (1, 2, 3)]
    assert sum(len(part) for part in parts) == 61
    assert set().union(*parts) == {p.relative_to(folder) for p in iter_article_files([folder])}
    assert all(part for part in parts)
    assert [names(elsewhere, part) for part in (1, 2, 3)] == parts
