"""Importing into the database: round trip, idempotence, editors' changes, stale copies.

Each test that takes the `import_file` fixture runs three ways: through `import_file()` (one
file, as uploads and ingest sources do), and through `import_paths()` in batches with parsing
in this process (`jobs=1`) and in two worker processes (`jobs=2`), as the command does.
"""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from articles import services as editorial_services
from articles.ingest import service
from articles.ingest.service import ImportOptions, import_paths
from articles.models import Article, Image

DATA = Path(__file__).parent / "data"
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_eea83d68b8caacf9.txt"
SEED_URL = (
    "https://www.voachinese.com/a/trump-s-ai-ambition-and-china-s-deepseek-overshadow-"
    "an-ai-summit-in-paris-20250209/7968583.html"
)

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["import_file", "jobs=1", "jobs=2"])
def import_file(request):
    """Import one file the way this run of the test names; returns its Outcome."""
    if request.param == "import_file":
        return service.import_file
    jobs = int(request.param.removeprefix("jobs="))

    def through_import_paths(path, options=None):
        [outcome] = import_paths([path], options, jobs=jobs)
        return outcome

    return through_import_paths


def variant(tmp_path, name, stamp=None, replace=()):
    """A copy of the seed with another capture time and/or edited text."""
    text = SEED.read_text(encoding="utf-8")
    if stamp is not None:
        text = text.replace("<!--1739120343000-->", f"<!--{stamp}-->", 1)
    for old, new in replace:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_round_trip_in_the_database(import_file):
    outcome = import_file(SEED)
    assert outcome.outcome == "created"
    article = Article.objects.get()
    assert article.title == "巴黎人工智能行动峰会在即，美中竞争较量惹关注"
    assert article.source_url == SEED_URL
    assert article.source_id == "7968583"
    assert article.language == "zh-Hans"
    assert article.source_name == "VOA Chinese"
    assert article.dateline == "华盛顿"
    assert article.captured_at == datetime(2025, 2, 9, 16, 59, 3, tzinfo=UTC)
    assert article.published_at == datetime(2025, 2, 9, 16, 47, 40, tzinfo=UTC)
    assert article.body.count("<p>") == 20
    assert article.status == Article.Status.DRAFT
    assert article.import_file_name == str(SEED)
    assert len(article.import_hash) == 64
    lead = article.images.get()
    assert lead.role == Image.Role.LEAD
    assert lead.original_url.startswith("https://gdb.voanews.com/51d023ef")
    assert lead.caption.startswith("2024年9月10日")


def test_publish_option_makes_new_articles_public(import_file):
    import_file(SEED, ImportOptions(publish=True))
    assert Article.objects.published().count() == 1


def test_reimport_of_same_file_is_unchanged_and_writes_nothing(django_assert_max_num_queries):
    import_file = service.import_file
    import_file(SEED)
    before = Article.objects.values_list("updated_at", "version").get()
    history = Article.history.count()
    with django_assert_max_num_queries(3):  # savepoint, one SELECT … FOR UPDATE, release
        assert import_file(SEED).outcome == "unchanged"
    assert Article.objects.values_list("updated_at", "version").get() == before
    assert Article.history.count() == history


def test_reimport_keeps_editor_changes(import_file, tmp_path):
    import_file(SEED)
    article = Article.objects.get()
    article.body = article.body.replace("Narendra MNodi", "Narendra Modi")
    article.save()
    assert import_file(SEED).outcome == "unchanged"
    article.refresh_from_db()
    assert "Narendra Modi" in article.body
    assert "MNodi" not in article.body


def test_changed_file_updates_an_article_nobody_edited(import_file, tmp_path):
    import_file(SEED)
    newer = variant(tmp_path, "newer.txt", 1739120943000, [("为期两天", "为期三天")])
    assert import_file(newer).outcome == "updated"
    article = Article.objects.get()
    assert "为期三天" in article.body
    assert article.import_file_name == str(newer)
    assert Article.objects.count() == 1


def test_changed_file_after_an_edit_is_a_conflict_that_keeps_both(import_file, tmp_path):
    import_file(SEED)
    article = Article.objects.get()
    article.title = "编辑修改的标题"
    article.save()
    newer = variant(tmp_path, "newer.txt", 1739120943000, [("为期两天", "为期三天")])
    outcome = import_file(newer)
    assert outcome.outcome == "conflict"
    article.refresh_from_db()
    assert article.title == "编辑修改的标题"
    assert "为期两天" in article.body
    assert "为期三天" in article.pending_import["values"]["body"]
    assert article.pending_import["file_name"] == str(newer)
    assert Article.objects.with_conflicts().count() == 1


def test_image_caption_edit_counts_as_an_editor_change(import_file, tmp_path):
    import_file(SEED)
    Image.objects.update(alt_text="参与者在电子图像前聊天")
    newer = variant(tmp_path, "newer.txt", 1739120943000, [("为期两天", "为期三天")])
    assert import_file(newer).outcome == "conflict"
    assert Image.objects.get().alt_text == "参与者在电子图像前聊天"


@pytest.mark.parametrize("order", ["old_first", "new_first"])
def test_duplicate_urls_in_any_order_end_with_the_newest_copy(import_file, tmp_path, order):
    old = variant(tmp_path, "a_old.txt", 1739120343000, [("为期两天", "旧版本")])
    new = variant(tmp_path, "b_new.txt", 1739129999000, [("为期两天", "新版本")])
    files = [old, new] if order == "old_first" else [new, old]
    outcomes = [import_file(f).outcome for f in files]
    article = Article.objects.get()
    assert "新版本" in article.body
    if order == "old_first":
        assert outcomes == ["created", "updated"]
    else:
        assert outcomes == ["created", "stale"]


def test_stale_copy_is_reported_and_changes_nothing(import_file, tmp_path):
    import_file(variant(tmp_path, "new.txt", 1739129999000))
    before = Article.objects.values_list("updated_at", "body").get()
    outcome = import_file(variant(tmp_path, "old.txt", 1739000000000, [("为期两天", "旧")]))
    assert outcome.outcome == "stale"
    assert "older than the imported copy" in outcome.reason
    assert Article.objects.values_list("updated_at", "body").get() == before


@pytest.mark.parametrize("jobs", [1, 2])
def test_bad_files_fail_alone_and_good_files_in_the_same_run_import(jobs):
    outcomes = list(import_paths([DATA], jobs=jobs))
    by_name = {Path(o.path).name: o for o in outcomes}
    assert by_name["minimal.txt"].outcome == "created"
    assert by_name["gbk.txt"].outcome == "failed"
    assert by_name["javascript_url.txt"].outcome == "failed"
    failed = {name for name, o in by_name.items() if o.outcome == "failed"}
    assert Article.objects.count() == len(outcomes) - len(failed)
    assert not Article.objects.filter(source_url__startswith="javascript").exists()


def test_failure_mid_file_leaves_no_partial_article(monkeypatch):
    import_file = service.import_file

    def explode(article, images, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(editorial_services, "replace_images", explode)
    with pytest.raises(RuntimeError):
        import_file(SEED)
    assert Article.objects.count() == 0
    assert Image.objects.count() == 0


@pytest.mark.parametrize("jobs", [1, 2])
def test_dry_run_writes_nothing(jobs):
    options = ImportOptions(dry_run=True)
    outcomes = list(import_paths([SEED, DATA / "minimal.txt"], options, jobs=jobs))
    assert [o.outcome for o in outcomes] == ["created", "created"]
    assert Article.objects.count() == 0
    assert Image.objects.count() == 0


def test_hostile_body_is_sanitized_on_import(import_file):
    import_file(DATA / "hostile_body.txt")
    body = Article.objects.get().body
    for needle in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "style="):
        assert needle not in body
    assert "正文" in body and "第二段" in body


def test_slug_collision_between_different_urls_gets_a_distinct_slug(import_file, tmp_path):
    first = DATA / "minimal.txt"
    text = first.read_text(encoding="utf-8").replace("/7968001.html", "/7968999.html")
    second = tmp_path / "second.txt"
    second.write_text(
        text.replace("sample-story-20250209/7968999", "sample-story-20250209/7968999")
    )
    import_file(first)
    import_file(second)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == ["sample-story-20250209", "sample-story-20250209-7968999"]


def test_language_and_source_overrides(import_file):
    import_file(SEED, ImportOptions(language="zh-Hant", source_name="Wire"))
    assert Article.objects.values_list("language", "source_name").get() == ("zh-Hant", "Wire")


def test_right_to_left_source_gets_its_language(import_file):
    import_file(DATA / "persian_rtl.txt")
    assert Article.objects.get().language == "fa"


def _as_if_imported_by_the_old_parser(article, old_body):
    """What an import before bylines left: the old extraction, and a baseline without byline."""
    article.body = old_body
    article.byline = ""
    article.save()
    baseline = editorial_services.current_values(article)
    del baseline["byline"]
    Article.objects.filter(pk=article.pk).update(imported_values=baseline)


def test_reimport_over_an_old_import_updates_untouched_articles(import_file):
    assert import_file(DATA / "sites" / "dw.txt").outcome == "created"
    article = Article.objects.get()
    _as_if_imported_by_the_old_parser(article, article.body + "<p>© 旧版本的版权声明</p>")
    outcome = import_file(DATA / "sites" / "dw.txt")
    assert outcome.outcome == "updated"
    article.refresh_from_db()
    assert article.byline == "Sample Author"
    assert "旧版本" not in article.body
    assert import_file(DATA / "sites" / "dw.txt").outcome == "unchanged"


def test_reimport_over_an_old_import_is_a_conflict_where_an_editor_edited(import_file):
    import_file(DATA / "sites" / "dw.txt")
    article = Article.objects.get()
    _as_if_imported_by_the_old_parser(article, article.body + "<p>© 旧版本的版权声明</p>")
    article.refresh_from_db()
    article.title = "编辑改过的标题"
    article.save()
    assert import_file(DATA / "sites" / "dw.txt").outcome == "conflict"
    article.refresh_from_db()
    assert article.title == "编辑改过的标题"


def test_byline_and_picture_credit_are_imported(import_file):
    import_file(DATA / "sites" / "nyt.txt")
    article = Article.objects.get()
    assert article.byline == "SAMPLE WRITER"
    lead = article.lead_image
    assert (lead.caption, lead.credit) == (
        "图片说明样例。",
        "Sample Photographer for The New York Times",
    )


def test_private_picture_addresses_never_become_image_rows(import_file):
    outcome = import_file(DATA / "private_images.txt")
    assert outcome.outcome == "created"
    assert any("dropped picture" in w for w in outcome.warnings)
    assert list(Image.objects.values_list("original_url", flat=True)) == [
        "https://cdn.example.org/ok.jpg"
    ]
