"""Fetch an image URL without letting it reach anything but a public web server.

Every hop, the first request and each redirect, is vetted before any connection: the scheme,
the optional host allowlist, and every address the host resolves to. The connection then goes
to the vetted address itself, so a DNS answer that changes between check and connect
(rebinding) cannot steer it elsewhere. Bodies are streamed against a byte cap and a deadline.
"""

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings

from articles.images.addresses import refusal
from articles.images.errors import FetchFailed, UnsafeURL

DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
CHUNK_BYTES = 64 * 1024
USER_AGENT = "Newsroom-image-fetcher/1.0"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    timeout: float
    max_redirects: int

    @classmethod
    def from_settings(cls):
        return cls(
            max_bytes=settings.NEWSROOM_IMAGE_MAX_BYTES,
            timeout=settings.NEWSROOM_IMAGE_TIMEOUT,
            max_redirects=settings.NEWSROOM_IMAGE_MAX_REDIRECTS,
        )


@dataclass(frozen=True)
class Target:
    """One vetted hop: where to connect (`address`) and what to ask for (`host`, `path`)."""

    url: str
    scheme: str
    host: str
    port: int
    address: str
    path: str


@dataclass(frozen=True)
class Fetched:
    url: str
    data: bytes
    content_type: str


def fetch(url, limits=None):
    """The body of `url` after at most `max_redirects` vetted redirects; raises ImageError."""
    limits = limits or Limits.from_settings()
    deadline = time.monotonic() + limits.timeout
    for _ in range(limits.max_redirects + 1):
        target = vet_url(url)
        location, fetched = _get(target, limits, deadline)
        if fetched is not None:
            return fetched
        url = location
    raise FetchFailed(f"more than {limits.max_redirects} redirects")


def vet_url(url):
    """Check a URL and resolve its host once; raise UnsafeURL before anything connects."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise UnsafeURL(f"malformed URL: {exc}") from exc
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise UnsafeURL(f"only http and https URLs are fetched, not {scheme or 'a relative URL'}")
    if parts.username is not None or parts.password is not None:
        raise UnsafeURL("URLs carrying credentials are not fetched")
    if not parts.hostname:
        raise UnsafeURL("the URL has no host")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise UnsafeURL(f"invalid host name {parts.hostname!r}") from exc
    port = port or DEFAULT_PORTS[scheme]
    allowed = settings.NEWSROOM_IMAGE_ALLOWED_HOSTS
    if allowed and host not in allowed and f"{host}:{port}" not in allowed:
        raise UnsafeURL(f"{host} is not in NEWSROOM_IMAGE_ALLOWED_HOSTS")
    return Target(url, scheme, host, port, resolve(host, port), _request_path(parts))


def resolve(host, port):
    """One DNS lookup: every answer must be acceptable, and the first is the one we use."""
    try:
        answers = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise FetchFailed(f"cannot resolve {host}: {exc}") from exc
    addresses = list(dict.fromkeys(answer[4][0] for answer in answers))
    if not addresses:
        raise FetchFailed(f"{host} has no address")
    for address in addresses:
        reason = refusal(address)
        if reason:
            raise UnsafeURL(f"refused {host}: {reason}")
    return addresses[0]


def _request_path(parts):
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/?%:@!$&'()*+,;=-._~")
    return f"{path}?{query}" if query else path


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to `target.host` (its Host header) over a socket to the vetted address."""

    def __init__(self, target, timeout):
        super().__init__(target.host, target.port, timeout=timeout)
        self.address = target.address

    def connect(self):
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the vetted address; the certificate must still match `target.host` (SNI too)."""

    def __init__(self, target, timeout):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self.address = target.address

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _get(target, limits, deadline):
    """One GET: (next URL, None) for a redirect, (None, Fetched) for the image."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout=_remaining(deadline, limits))
    try:
        connection.request(
            "GET",
            target.path,
            headers={"User-Agent": USER_AGENT, "Accept": "image/*", "Connection": "close"},
        )
        response = connection.getresponse()
        if response.status in REDIRECT_STATUSES:
            location = response.getheader("Location", "").strip()
            if not location:
                raise FetchFailed(f"HTTP {response.status} redirect without a Location")
            return urljoin(target.url, location), None
        if response.status != 200:
            raise FetchFailed(f"HTTP {response.status} {response.reason} from {target.host}")
        data = _read_capped(response, limits, deadline)
        return None, Fetched(target.url, data, response.getheader("Content-Type", ""))
    except TimeoutError as exc:
        raise FetchFailed(f"timed out after {limits.timeout:g} s") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise FetchFailed(f"{target.host}: {type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()


def _read_capped(response, limits, deadline):
    """Read one socket receive at a time, so the deadline is checked between receives."""
    declared = response.getheader("Content-Length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchFailed(f"too large: {declared} bytes declared, the limit is {limits.max_bytes}")
    chunks, total = [], 0
    while True:
        _remaining(deadline, limits)
        chunk = response.read1(CHUNK_BYTES)
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchFailed(f"too large: more than {limits.max_bytes} bytes")
        chunks.append(chunk)


def _remaining(deadline, limits):
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise FetchFailed(f"timed out after {limits.timeout:g} s")
    return remaining
