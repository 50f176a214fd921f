"""Helpers for the editorial-desk tests: the seed article, an editor, a conflicting re-import."""

from importlib import import_module
from pathlib import Path

from django.contrib.auth.models import Group, Permission, User
from django.urls import reverse

from articles.ingest.service import ImportOptions, import_file
from articles.models import Article

editorial_migration = import_module("articles.migrations.0003_editorial")
background_migration = import_module("articles.migrations.0007_background_work")
SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_eea83d68b8caacf9.txt"
SEED_TITLE = "巴黎人工智能行动峰会在即，美中竞争较量惹关注"
PASSWORD = "correct horse battery staple 42"


def import_seed(publish=True):
    import_file(SEED, ImportOptions(publish=publish))
    return Article.objects.get(title=SEED_TITLE)


def editor_group():
    """The migration's group; rebuilt from the same list after a transactional test's flush."""
    group, created = Group.objects.get_or_create(name=editorial_migration.EDITOR_GROUP)
    if created:
        for app_label, codename in (
            *editorial_migration.EDITOR_PERMISSIONS,
            *background_migration.EDITOR_PERMISSIONS,
        ):
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
    return group


def make_editor(username="editor"):
    user = User.objects.create_user(username, f"{username}@example.org", PASSWORD, is_staff=True)
    user.groups.add(editor_group())
    return user


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def form_data(article, **changes):
    """The change form as the browser would post it, unchanged except for `changes`."""
    data = {
        "title": article.title,
        "slug": article.slug,
        "dateline": article.dateline,
        "byline": article.byline,
        "body": article.body,
        "status": article.status,
        "published_at_0": article.published_at.strftime("%Y-%m-%d") if article.published_at else "",
        "published_at_1": article.published_at.strftime("%H:%M:%S") if article.published_at else "",
        "language": article.language,
        "loaded_version": article.version,
        "images-TOTAL_FORMS": 0,
        "images-INITIAL_FORMS": 0,
        "images-MIN_NUM_FORMS": 0,
        "images-MAX_NUM_FORMS": 1000,
    }
    data.update(changes)
    return data


def reimport_changed(tmp_path, old, new, stamp="1739120400000"):
    """Re-import the seed with `old` replaced by `new` and a later capture time."""
    text = SEED.read_text(encoding="utf-8").replace("<!--1739120343000-->", f"<!--{stamp}-->", 1)
    assert old in text
    path = tmp_path / "000_newer.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return import_file(path, ImportOptions(publish=True))
