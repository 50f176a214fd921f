"""Editors: upload with the fetcher's validation, fetch images by action, alt-text warnings."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks import task_backends

from articles.images.testing import loopback_image_server, sample_picture
from articles.models import Article, Image
from articles.tests.editorial import change_url, form_data, import_seed, make_editor

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(make_editor())
    return client


def with_image(article, image, **changes):
    """The change form with the article's one image, as the browser posts it."""
    values = {
        "images-TOTAL_FORMS": 1,
        "images-INITIAL_FORMS": 1,
        "images-0-id": image.pk,
        "images-0-article": article.pk,
        "images-0-position": image.position,
        "images-0-role": image.role,
        "images-0-original_url": image.original_url,
        "images-0-caption": image.caption,
        "images-0-credit": image.credit,
        "images-0-alt_text": image.alt_text,
    }
    values.update({f"images-0-{name}": value for name, value in changes.items()})
    return values


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_uploaded_picture_is_stored_with_renditions(editor):
    article = import_seed()
    image = article.images.get()
    upload = SimpleUploadedFile("summit.png", sample_picture(1000, 600, "PNG"), "image/png")

    response = editor.post(
        change_url(article), form_data(article, **with_image(article, image, file=upload))
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    image.refresh_from_db()
    assert image.file.name.startswith("images/") and image.file.name.endswith(".png")
    assert (image.width, image.height) == (1000, 600)
    assert image.fetch_status == Image.FetchStatus.FETCHED
    assert [r["width"] for r in image.renditions["webp"]] == [480, 960, 1000]
    assert image.original_url.startswith("https://gdb.voanews.com/")


def test_disguised_upload_is_refused_with_the_reason(editor):
    article = import_seed()
    image = article.images.get()
    upload = SimpleUploadedFile("summit.jpg", b"<html><script>alert(1)</script>", "image/jpeg")

    response = editor.post(
        change_url(article), form_data(article, **with_image(article, image, file=upload))
    )

    assert response.status_code == 200
    assert "not a JPEG, PNG, WebP or GIF image" in response.content.decode()
    image.refresh_from_db()
    assert not image.file


def test_publishing_an_article_whose_image_lacks_alt_text_warns(editor):
    article = import_seed(publish=False)
    image = article.images.get()
    assert image.alt_text == ""

    response = editor.post(
        change_url(article),
        form_data(article, status="published", **with_image(article, image)),
        follow=True,
    )

    assert Article.objects.get(pk=article.pk).status == "published"
    assert any("1 image lacking alt text" in m for m in messages_of(response))


def test_publishing_with_alt_text_gives_no_warning(editor):
    article = import_seed(publish=False)
    image = article.images.get()
    data = with_image(article, image, alt_text="Delegates arrive at the summit in Paris")

    response = editor.post(
        change_url(article), form_data(article, status="published", **data), follow=True
    )

    assert not any("alt text" in m for m in messages_of(response))


def test_fetch_images_action_fetches_in_a_task_and_each_image_shows_its_outcome(
    editor, settings, monkeypatch, tmp_path, django_capture_on_commit_callbacks
):
    article = import_seed()
    with loopback_image_server(settings, monkeypatch, tmp_path / "media") as server:
        article.images.update(original_url=server.serve("/lead.jpg", sample_picture(800, 500)))
        broken = server.serve("/broken.jpg", b"not a picture")
        Image.objects.create(article=article, original_url=broken, position=1)

        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                reverse("admin:articles_article_changelist"),
                {"action": "fetch_images_action", "_selected_action": [article.pk]},
                follow=True,
            )
        page = editor.get(change_url(article)).content.decode()

    [message] = messages_of(response)
    assert message.startswith("Fetching 2 image(s) of 1 article(s) in the background")
    statuses = dict(article.images.values_list("original_url", "fetch_status"))
    assert statuses[broken] == "failed" and list(statuses.values()).count("fetched") == 1
    assert "Failed: not a JPEG, PNG, WebP or GIF image" in page
    assert "Fetched" in page


def test_fetch_images_action_returns_before_any_image_is_fetched(
    editor, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    article = import_seed()

    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            reverse("admin:articles_article_changelist"),
            {"action": "fetch_images_action", "_selected_action": [article.pk]},
            follow=True,
        )

    assert response.status_code == 200
    [queued] = task_backends["default"].results
    assert queued.task.name == "fetch_article_images" and queued.args == [[article.pk]]
    assert article.images.get().fetch_status == Image.FetchStatus.PENDING
    assert "Not fetched" in editor.get(change_url(article)).content.decode()


def test_publishing_in_the_admin_queues_the_articles_image_fetch(
    editor, settings, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    settings.NEWSROOM_FETCH_IMAGES = True
    article = import_seed(publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            reverse("admin:articles_article_changelist"),
            {"action": "publish", "_selected_action": [article.pk]},
        )

    [queued] = task_backends["default"].results
    assert queued.task.name == "fetch_article_images" and queued.args == [[article.pk]]
