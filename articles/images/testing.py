"""Test support: a loopback image server, generated pictures, and a guard on connections.

Tests never reach beyond 127.0.0.1: `loopback_image_server()` trusts loopback for the
fetcher (the default refuses it) and fails the test on any other connection or DNS lookup.
"""

import contextlib
import ipaddress
import socket
import struct
import threading
import zlib
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO

from PIL import Image as PILImage
from PIL import ImageDraw

LOOPBACK = "127.0.0.1"


def sample_picture(width=1200, height=800, fmt="JPEG", mode="RGB", **save_options):
    """A real picture (a sky, a sun, hills) encoded in `fmt`."""
    image = PILImage.new("RGB", (width, height), (70, 130, 180))
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):
        shade = 120 + 100 * y // max(1, height // 2)
        draw.line([(0, y), (width, y)], fill=(shade // 2, shade * 2 // 3, 230))
    draw.ellipse(
        [width * 0.65, height * 0.1, width * 0.85, height * 0.1 + width * 0.2], fill=(250, 200, 60)
    )
    draw.polygon(
        [
            (0, height),
            (0, height * 0.6),
            (width * 0.4, height * 0.45),
            (width, height * 0.7),
            (width, height),
        ],
        fill=(60, 140, 70),
    )
    buffer = BytesIO()
    image.convert(mode).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def pixel_bomb_png(width, height):
    """A valid PNG header declaring width×height pixels, followed by a few bytes of data."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 256))
        + chunk(b"IEND", b"")
    )


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict = field(default_factory=dict)
    send_length: bool = True
    hold: bool = False


class ImageServer:
    """http.server on 127.0.0.1 at an ephemeral port, answering canned routes by path."""

    def __init__(self):
        self.routes = {}
        self.requests = []
        self.release = threading.Event()
        self._httpd = ThreadingHTTPServer((LOOPBACK, 0), self._handler())
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def url(self, path):
        return f"http://{LOOPBACK}:{self.port}{path}"

    def serve(self, path, body, content_type="image/jpeg", **options):
        options.setdefault("headers", {})["Content-Type"] = content_type
        self.routes[path] = Route(body=body, **options)
        return self.url(path)

    def redirect(self, path, location, status=302):
        self.routes[path] = Route(status=status, headers={"Location": location})
        return self.url(path)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                route = server.routes.get(self.path, Route(status=404, body=b"not found"))
                if route.hold:
                    server.release.wait(30)
                    return
                self.send_response(route.status)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                if route.send_length:
                    self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                with contextlib.suppress(OSError):
                    self.wfile.write(route.body)

            def log_message(self, *args):
                pass

        return Handler


def guard_connections(monkeypatch):
    """Fail on any connection or DNS lookup beyond loopback; return the addresses connected."""
    connected = []
    real_connect, real_resolve = socket.create_connection, socket.getaddrinfo

    def connect(address, *args, **kwargs):
        connected.append(address[0])
        if not ipaddress.ip_address(address[0]).is_loopback:
            raise AssertionError(f"a test tried to connect to {address}")
        return real_connect(address, *args, **kwargs)

    def resolve(host, *args, **kwargs):
        try:
            ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost":
                raise AssertionError(f"a test tried to resolve {host}") from None
        return real_resolve(host, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", connect)
    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    return connected


@contextlib.contextmanager
def loopback_image_server(settings, monkeypatch, media_root):
    """A running ImageServer the fetcher may reach, media in `media_root`, nothing else."""
    settings.MEDIA_ROOT = str(media_root)
    settings.NEWSROOM_IMAGE_TRUSTED_NETWORKS = [f"{LOOPBACK}/32"]
    with ImageServer() as server:
        server.connected = guard_connections(monkeypatch)
        yield server
