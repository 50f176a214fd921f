"""gunicorn for production (`make serve`); values read from os.environ can be overridden.

Threaded workers keep HTTP connections alive and let one worker overlap database waits; the
app is loaded before forking so workers share its memory and a broken deploy fails at once.
"""

import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get(
    "GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}"
)
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1) + 1)))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
preload_app = True
keepalive = 5
timeout = 30
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = 10000
max_requests_jitter = 1000
# Logs to stdout/stderr for the service manager; request lines only when asked for (the
# reverse proxy usually logs them already).
errorlog = "-"
accesslog = "-" if os.environ.get("ACCESS_LOG", "").lower() in ("1", "true", "yes") else None
# No control socket: several instances (and benchmarks) may run side by side.
control_socket_disable = True
