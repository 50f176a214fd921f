"""Behaviour that rests on the database engine, pinned on whichever one DATABASE_URL names.

CI runs the suite on SQLite and again on PostgreSQL, so each test here runs on both.
"""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.ingest.service import CREATED, FAILED, UNCHANGED, import_file, import_paths
from articles.models import Article

SEED = "seeds/000_eea83d68b8caacf9.txt"


@pytest.fixture
def seed_path(settings):
    return settings.BASE_DIR / SEED


@pytest.mark.django_db
def test_reimport_is_unchanged_after_json_round_trip(seed_path):
    """imported_values goes through the engine's JSON type (jsonb reorders keys) and back."""
    assert import_file(seed_path).outcome == CREATED
    assert import_file(seed_path).outcome == UNCHANGED


@pytest.mark.django_db(transaction=True)
def test_failed_file_in_a_batch_keeps_the_others(seed_path, tmp_path):
    """A failed file must not abort the batch's transaction (PostgreSQL aborts on any error)."""
    (tmp_path / "a.txt").write_bytes(seed_path.read_bytes())
    (tmp_path / "b.txt").write_bytes(b"not an article")
    outcomes = {o.path.rsplit("/", 1)[-1]: o.outcome for o in import_paths([tmp_path])}
    assert outcomes == {"a.txt": CREATED, "b.txt": FAILED}
    assert Article.objects.count() == 1


@pytest.mark.django_db
def test_duplicate_source_url_is_refused_by_the_database():
    Article.objects.create(title="One", slug="one", source_url="https://example.org/a/1.html")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.create(title="Two", slug="two", source_url="https://example.org/a/1.html")
    assert Article.objects.filter(source_url="https://example.org/a/1.html").count() == 1


@pytest.mark.django_db
def test_cjk_substring_matches_inside_a_sentence():
    Article.objects.create(
        title="巴黎人工智能行动峰会在即",
        slug="paris",
        body="<p>美中竞争较量惹关注</p>",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
    )
    assert Article.objects.published().filter(title__icontains="人工智能").count() == 1
    assert Article.objects.published().filter(body__icontains="竞争").count() == 1


@pytest.mark.django_db
def test_aware_datetimes_round_trip_to_the_microsecond():
    moment = timezone.now().replace(microsecond=123456)
    article = Article.objects.create(title="T", slug="t", published_at=moment)
    article.refresh_from_db()
    assert article.published_at == moment
