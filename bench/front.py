"""Reader pages through Varnish (deploy/varnish/newsroom.vcl) beside nginx serving their bytes.

gunicorn (2 workers, production settings, the 1,000-file SQLite database) runs behind varnishd;
nginx serves the same list and detail pages' bytes as static files in the same run: the floor
for an HTTP cache on this machine. Then an editor's save: this process saves the article (the
site's own code path, which purges Varnish after commit) and polls Varnish until the page shows
the change; the time from calling save() to that first fresh response, over many saves. The
purge is a task: the saves are measured once per queue, each with a real `manage.py worker`
(the database queue, and RQ over a private redis-server), as production runs them.

    .venv/bin/python bench/front.py      one JSON line (bench/run.py prints it as table rows)
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
BASE = BENCH.parent
sys.path[:0] = [str(BASE), str(BENCH)]

import pages  # noqa: E402
from import_bench import database_path  # noqa: E402

VARNISH_PORT, NGINX_PORT, WEB_PORT, REDIS_PORT = 8321, 8322, 8320, 8323
SAVES = int(os.environ.get("BENCH_FRONT_SAVES", "100"))
QUEUES = {
    "database": {"TASKS_BACKEND": "database"},
    "rq": {"TASKS_BACKEND": "rq", "TASKS_REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0"},
}

NGINX_CONF = """
worker_processes auto;
daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp;
    server {{
        listen 127.0.0.1:{port};
        root {root}/html;
        default_type "text/html; charset=utf-8";
    }}
}}
"""


def start_nginx(root):
    (root / "html").mkdir()
    (root / "tmp").mkdir()
    shutil.copy(pages.CAPTURED / "list.html", root / "html" / "list.html")
    shutil.copy(pages.CAPTURED / "detail.html", root / "html" / "detail.html")
    os.chmod(root, 0o755)
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=NGINX_PORT))
    return subprocess.Popen(["/usr/sbin/nginx", "-c", str(conf), "-p", str(root)])


def start_varnish(root):
    config = root / "varnish-config"
    config.mkdir()
    backend = (BASE / "deploy/varnish/backend.vcl").read_text()
    (config / "backend.vcl").write_text(backend.replace('"8000"', f'"{WEB_PORT}"'))
    vcl = BASE / "deploy/varnish"
    return subprocess.Popen(
        [
            "/usr/sbin/varnishd", "-F", "-j", "none", "-n", str(root / "varnish"),
            "-a", f"127.0.0.1:{VARNISH_PORT}", "-T", "none", "-s", "malloc,256m",
            "-f", str(vcl / "newsroom.vcl"), "-p", f"vcl_path={config}:{vcl}",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def wait(url):
    for _ in range(100):
        try:
            return pages.fetch(url)
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer")


def save_to_fresh(path, front):
    """Seconds from each save() of the article to the first page at the front showing it."""
    from articles.models import Article

    article = Article.objects.get(slug=path.rstrip("/").rsplit("/", 1)[1])
    url = front + path
    timings = []
    for n in range(SAVES):
        pages.fetch(url)  # cached at the front again before each save
        marker = f"Edition {n} of this headline"
        started = time.perf_counter()
        article.title = marker
        article.save()
        while marker.encode() not in pages.fetch(url):
            time.sleep(0.001)
        timings.append(time.perf_counter() - started)
    return timings


def saves(path):
    """Child process: the saves, with this process's TASKS_BACKEND, printed as JSON."""
    import django

    django.setup()
    timings = sorted(save_to_fresh(path, f"http://127.0.0.1:{VARNISH_PORT}"))
    print(json.dumps({
        "saves": len(timings),
        "median_ms": statistics.median(timings) * 1000,
        "p99_ms": timings[min(len(timings) - 1, round(len(timings) * 0.99))] * 1000,
    }))  # fmt: skip


def measure_saves(env, path, queue):
    """Saves through `queue`, with a worker (and for RQ a redis-server) running beside."""
    env = {**env, **QUEUES[queue]}
    helpers = []
    try:
        if queue == "rq":
            helpers.append(
                subprocess.Popen(
                    ["redis-server", "--port", str(REDIS_PORT), "--save", ""],
                    stdout=subprocess.DEVNULL,
                )
            )
        worker = [sys.executable, "manage.py", "worker"]
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        helpers.append(subprocess.Popen(worker, cwd=BASE, env=env, **quiet))
        out = subprocess.run(
            [sys.executable, __file__, "saves", path],
            cwd=BASE, env=env, capture_output=True, text=True, check=True, timeout=600,
        )  # fmt: skip
        return json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        for process in reversed(helpers):
            pages.stop(process)


def main():
    database = database_path(1000)
    env = pages.server_env(database, 0, WEB_PORT)
    env.update(FRONT_CACHE_SECONDS="300", VARNISH_PURGE_URLS=f"http://127.0.0.1:{VARNISH_PORT}/")
    root = Path(tempfile.mkdtemp(prefix="newsroom-front-"))
    processes = []
    try:
        processes.append(pages.start(env, WEB_PORT))
        processes.append(start_varnish(root))
        front = f"http://127.0.0.1:{VARNISH_PORT}"
        list_html = wait(front + "/en/")
        detail = pages.detail_path(list_html)
        for name, path in (("list", "/en/"), ("detail", detail)):
            (pages.CAPTURED / f"{name}.html").write_bytes(pages.fetch(front + path))
        processes.append(start_nginx(root))
        wait(f"http://127.0.0.1:{NGINX_PORT}/list.html")
        result = {}
        for name, path in (("list", "/en/"), ("detail", detail)):
            floor = pages.wrk(f"http://127.0.0.1:{NGINX_PORT}/{name}.html")
            result[name] = {"front": pages.wrk(front + path), "nginx": floor}
        result["save_to_fresh"] = {queue: measure_saves(env, detail, queue) for queue in QUEUES}
    finally:
        for process in reversed(processes):
            pages.stop(process)
        shutil.rmtree(root, ignore_errors=True)
    print(json.dumps(result))


if __name__ == "__main__":
    if sys.argv[1:2] == ["saves"]:
        os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings")
        saves(sys.argv[2])
    else:
        main()
