"""Reader pages and the Content API under gunicorn (2 workers, loopback) with wrk, beside the floor.

Two servers run production settings (DEBUG off, cached templates, persistent connections) on
the SQLite database the 1,000-file import left: one with the page cache off, one with it on.
The floor (bench/urls.py) returns the list and detail pages' (and API responses') own bytes,
captured from the uncached server; it is measured before and after the pages and the mean is
used, so drift on a shared machine shows up as a gap between the two.
"""

import os
import re
import subprocess
import time
import urllib.request
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
CAPTURED = BASE / "var" / "bench" / "pages"
SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
CONNECTIONS = 4
HEADERS = {"X-Forwarded-Proto": "https", "Host": "127.0.0.1"}
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def server_env(database, page_cache_seconds, port):
    env = dict(os.environ)
    env.update(
        DEBUG="False",
        SECRET_KEY=env.get("SECRET_KEY") or "bench-only-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE="bench.settings",
        PAGE_CACHE_SECONDS=str(page_cache_seconds),
        CACHE_URL="locmemcache://bench",
        WEB_CONCURRENCY="2",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        LOG_LEVEL="WARNING",
        # wrk is one client: the benchmark measures the API's work, not its 429s.
        API_ANON_RATE="1000000000/min",
    )
    return env


def fetch(url):
    request = urllib.request.Request(url, headers=HEADERS)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.read()


def start(env, port):
    process = subprocess.Popen(
        [str(BASE / ".venv/bin/gunicorn"), "--config", str(BASE / "gunicorn.conf.py")],
        cwd=BASE,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        try:
            fetch(f"http://127.0.0.1:{port}/healthz")
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()) from None
            time.sleep(0.2)
    stop(process)
    raise RuntimeError("gunicorn did not answer /healthz within 20 s")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wrk(url):
    """requests/s and p99 latency (ms) of a bounded wrk run: 1 thread, few connections."""
    header_args = [arg for name, value in HEADERS.items() for arg in ("-H", f"{name}: {value}")]
    fetch(url)  # warm the worker's templates, connection and (when on) the page cache
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{CONNECTIONS}",
            f"-d{SECONDS}s",
            "--timeout",
            "5s",
            "--latency",
            *header_args,
            url,
        ],
        capture_output=True,
        text=True,
        timeout=SECONDS + 30,
        check=True,
    ).stdout
    if re.search(r"Non-2xx or 3xx responses", out):
        raise RuntimeError(f"wrk saw errors from {url}:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    return rate, float(value) * UNITS[unit]


def detail_path(list_html):
    match = re.search(rb'href="(/[a-z-]+/articles/[^"/]+/)"', list_html)
    if not match:
        raise RuntimeError("the list page links to no article")
    return match[1].decode()


def measure(database, port=8311):
    """Rows of (page, mode, rate, p99, floor rate, floor p99)."""
    CAPTURED.mkdir(parents=True, exist_ok=True)
    plain = start(server_env(database, 0, port), port)
    cached = None
    try:
        base = f"http://127.0.0.1:{port}"
        list_html = fetch(base + "/en/")
        detail = detail_path(list_html)
        slug = detail.strip("/").split("/")[-1]
        pages = {
            "list": "/en/",
            "detail": detail,
            "api-list": "/api/v1/articles/",
            "api-detail": f"/api/v1/articles/{slug}/",
        }
        for name, path in pages.items():
            suffix = "json" if name.startswith("api") else "html"
            (CAPTURED / f"{name}.{suffix}").write_bytes(fetch(base + path))
        cached = start(server_env(database, 300, port + 1), port + 1)
        cached_base = f"http://127.0.0.1:{port + 1}"
        floors = {name: [wrk(f"{base}/bench-floor/{name}/")] for name in pages}
        results = {}
        for name, path in pages.items():
            results[(name, "uncached")] = wrk(base + path)
            results[(name, "page cache")] = wrk(cached_base + path)
        for name in pages:
            floors[name].append(wrk(f"{base}/bench-floor/{name}/"))
    finally:
        stop(plain)
        if cached:
            stop(cached)
    rows = []
    for (name, mode), (rate, p99) in results.items():
        floor_rate = sum(r for r, _ in floors[name]) / 2
        floor_p99 = sum(p for _, p in floors[name]) / 2
        rows.append((name, mode, rate, p99, floor_rate, floor_p99, floors[name]))
    return rows
