"""Fetching pictures from a loopback server: each kind of hostile answer gets its outcome."""

import socket

import pytest
from django.core.files.storage import default_storage

from articles.images.errors import FetchFailed, UnsafeURL
from articles.images.fetching import fetch
from articles.images.service import fetch_image, fetch_images
from articles.images.testing import loopback_image_server, pixel_bomb_png, sample_picture
from articles.models import Article, Image


@pytest.fixture
def server(settings, monkeypatch, tmp_path):
    with loopback_image_server(settings, monkeypatch, tmp_path / "media") as server:
        yield server


@pytest.fixture
def article(db):
    return Article.objects.create(title="A story", slug="a-story", body="<p>Text</p>")


def image_for(article, url):
    return Image.objects.create(article=article, role=Image.Role.LEAD, original_url=url)


def fake_dns(monkeypatch, answer):
    """Names in example.test resolve to `answer()`; address literals resolve as usual."""
    lookups, real = [], socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if not host.endswith(".example.test"):
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in answer()]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return lookups


def test_real_image_is_stored_in_media_with_renditions(server, article):
    image = image_for(article, server.serve("/photo.jpg", sample_picture(1200, 800)))

    assert fetch_image(image) is None

    image.refresh_from_db()
    assert image.fetch_status == Image.FetchStatus.FETCHED
    assert image.fetch_error == ""
    assert (image.width, image.height) == (1200, 800)
    assert image.file.name.startswith("images/") and image.file.name.endswith(".jpg")
    assert default_storage.exists(image.file.name)
    assert [r["width"] for r in image.renditions["webp"]] == [480, 960, 1200]
    assert image.original_url == server.url("/photo.jpg")


@pytest.mark.parametrize(
    ("fmt", "extension"), [("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif"), ("JPEG", "jpg")]
)
def test_each_accepted_format_is_fetched(server, article, fmt, extension):
    image = image_for(article, server.serve(f"/p.{extension}", sample_picture(600, 400, fmt)))
    assert fetch_image(image) is None
    assert image.file.name.endswith(f".{extension}")


def test_declared_too_large_file_is_refused_before_reading(server, article, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 50_000
    big = sample_picture(2400, 1600, quality=95)
    assert len(big) > 50_000
    image = image_for(article, server.serve("/big.jpg", big))

    reason = fetch_image(image)

    assert reason.startswith(f"too large: {len(big)} bytes declared")
    image.refresh_from_db()
    assert image.fetch_status == Image.FetchStatus.FAILED
    assert image.fetch_error == reason
    assert not image.file


def test_streamed_too_large_file_is_cut_off_at_the_cap(server, settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 50_000
    url = server.serve("/endless.jpg", b"\xff" * 400_000, send_length=False)
    with pytest.raises(FetchFailed, match="more than 50000 bytes"):
        fetch(url)


def test_non_image_with_an_image_extension_is_refused(server, article):
    html = b"<!doctype html><title>Not found</title><p>Sorry</p>"
    image = image_for(article, server.serve("/photo.jpg", html, content_type="image/jpeg"))

    assert fetch_image(image) == "not a JPEG, PNG, WebP or GIF image"
    assert Image.objects.get(pk=image.pk).fetch_status == Image.FetchStatus.FAILED


def test_image_in_a_refused_format_is_refused(server, article):
    image = image_for(article, server.serve("/photo.bmp", sample_picture(60, 40, "BMP")))
    assert fetch_image(image) == "not a JPEG, PNG, WebP or GIF image"


def test_pixel_bomb_is_refused_without_decoding(server, article):
    bomb = pixel_bomb_png(100_000, 100_000)
    assert len(bomb) < 200
    image = image_for(article, server.serve("/bomb.png", bomb, content_type="image/png"))

    assert fetch_image(image).startswith("too many pixels")


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.0.0.1/photo.jpg", "10.0.0.1 is not a public address (private)"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
        ("http://[::ffff:10.0.0.1]/x.jpg", "embeds the non-public address 10.0.0.1"),
        ("http://0.0.0.0/x.jpg", "0.0.0.0 is not a public address"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file"),
    ],
)
def test_redirect_to_a_private_address_is_refused_without_connecting(
    server, article, location, reason
):
    image = image_for(article, server.redirect("/photo.jpg", location))

    failure = fetch_image(image)

    assert reason in failure
    assert server.requests == ["/photo.jpg"]
    assert set(server.connected) == {"127.0.0.1"}


def test_metadata_address_is_refused_even_inside_a_trusted_network(server, settings, article):
    settings.NEWSROOM_IMAGE_TRUSTED_NETWORKS = ["127.0.0.1/32", "169.254.0.0/16"]
    image = image_for(article, server.redirect("/p.jpg", "http://169.254.169.254/"))
    assert "cloud metadata address" in fetch_image(image)
    assert set(server.connected) == {"127.0.0.1"}


def test_loopback_is_refused_by_default(server, settings, article):
    settings.NEWSROOM_IMAGE_TRUSTED_NETWORKS = []
    image = image_for(article, server.serve("/photo.jpg", sample_picture(300, 200)))

    assert fetch_image(image) == "refused 127.0.0.1: 127.0.0.1 is not a public address (loopback)"
    assert server.requests == []
    assert server.connected == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://127.0.0.1/photo.jpg",
        "javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "//127.0.0.1/photo.jpg",
        "http://user:secret@127.0.0.1/photo.jpg",
        "http://127.0.0.1:99999/photo.jpg",
    ],
)
def test_urls_other_than_plain_http_are_refused(server, url):
    with pytest.raises(UnsafeURL):
        fetch(url)
    assert server.connected == []


def test_allowlist_limits_fetching_to_named_hosts(server, settings):
    url = server.serve("/photo.jpg", sample_picture(300, 200))
    settings.NEWSROOM_IMAGE_ALLOWED_HOSTS = ["images.example.org"]
    with pytest.raises(UnsafeURL, match="not in NEWSROOM_IMAGE_ALLOWED_HOSTS"):
        fetch(url)
    settings.NEWSROOM_IMAGE_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    assert fetch(url).data.startswith(b"\xff\xd8")


def test_relative_redirect_is_followed(server):
    server.serve("/final.jpg", sample_picture(300, 200))
    url = server.redirect("/start.jpg", "/final.jpg", status=301)
    fetched = fetch(url)
    assert fetched.url == server.url("/final.jpg")
    assert server.requests == ["/start.jpg", "/final.jpg"]


def test_redirect_chain_longer_than_the_limit_fails(server, settings):
    settings.NEWSROOM_IMAGE_MAX_REDIRECTS = 2
    for n in range(5):
        server.redirect(f"/hop{n}", f"/hop{n + 1}")
    with pytest.raises(FetchFailed, match="more than 2 redirects"):
        fetch(server.url("/hop0"))
    assert len(server.requests) == 3


def test_error_status_is_reported(server, article):
    image = image_for(article, server.url("/missing.jpg"))
    assert fetch_image(image) == "HTTP 404 Not Found from 127.0.0.1"


def test_slow_server_times_out(server, settings):
    settings.NEWSROOM_IMAGE_TIMEOUT = 0.3
    url = server.serve("/slow.jpg", b"", hold=True)
    with pytest.raises(FetchFailed, match="timed out"):
        fetch(url)


def test_connection_goes_to_the_address_vetted_at_resolution(server, monkeypatch):
    """A DNS answer that changes after the check (rebinding) is never looked up again."""
    url = server.serve("/photo.jpg", sample_picture(300, 200))
    answers = iter([["127.0.0.1"]])
    lookups = fake_dns(monkeypatch, lambda: next(answers, ["10.0.0.1"]))

    fetched = fetch(url.replace("127.0.0.1", "images.example.test"))

    assert fetched.data.startswith(b"\xff\xd8")
    assert lookups == ["images.example.test"]
    assert set(server.connected) == {"127.0.0.1"}


def test_host_with_any_private_answer_is_refused(server, monkeypatch):
    fake_dns(monkeypatch, lambda: ["127.0.0.1", "192.168.1.5"])
    with pytest.raises(UnsafeURL, match=r"192\.168\.1\.5 is not a public address"):
        fetch("http://images.example.test/photo.jpg")
    assert server.connected == []


def test_failed_fetch_keeps_the_article(server, article):
    version = article.version
    image_for(article, server.serve("/photo.jpg", b"GIF89a but not really"))

    summary = fetch_images(Image.objects.all())

    assert (summary.fetched, summary.failed) == (0, 1)
    article.refresh_from_db()
    assert article.version == version
    assert article.images.get().fetch_error == "not a JPEG, PNG, WebP or GIF image"


def test_rerun_retries_only_failed_and_pending_images(server, article):
    good = image_for(article, server.serve("/good.jpg", sample_picture(300, 200)))
    bad = image_for(article, server.url("/later.jpg"))

    first = fetch_images(Image.objects.all())
    assert (first.fetched, first.failed) == (1, 1)
    assert [image.pk for image, _ in first.failures] == [bad.pk]

    server.serve("/later.jpg", sample_picture(300, 200))
    server.requests.clear()
    second = fetch_images(Image.objects.all())

    assert (second.fetched, second.failed) == (1, 0)
    assert server.requests == ["/later.jpg"]
    good.refresh_from_db()
    assert good.fetch_status == Image.FetchStatus.FETCHED


def test_editor_upload_is_never_replaced_by_a_fetch(server, article):
    image = image_for(article, server.serve("/photo.jpg", sample_picture(300, 200)))
    Image.objects.filter(pk=image.pk).update(file="images/2025/01/editor.jpg")
    assert (fetch_images(Image.objects.all()).fetched, server.requests) == (0, [])
