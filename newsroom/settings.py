"""Newsroom settings: the one settings file, configured from the environment.

Every variable is documented in `.env.example`. A laptop needs none of them (a `.env` written by
`make` sets DEBUG and a development key); production sets them in the process environment.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (run `make .env` for a development key)."
        )
    SECRET_KEY = "insecure-development-key-set-SECRET_KEY-in-production"  # noqa: S105

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
INTERNAL_IPS = ["127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "simple_history",
    "axes",
    "tinymce",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so cached API responses carry CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    "articles.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "articles.desk.csp.AdminCSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

_TEMPLATE_LOADERS = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "articles.reader.context_processors.site",
            ],
            # Cached templates in production; reloaded on change while developing.
            "loaders": _TEMPLATE_LOADERS
            if DEBUG
            else [("django.template.loaders.cached.Loader", _TEMPLATE_LOADERS)],
        },
    },
]

# Database: SQLite under var/ on a laptop; DATABASE_URL=postgres://… in production.
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while an import writes; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://newsroom")}
# Whole reader pages for anonymous visitors, kept in the cache above (articles.page_cache) and
# forgotten when an article changes; on whenever DEBUG is off. With the per-process default
# cache, other workers may serve a page up to this old; with Redis, never.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=0 if DEBUG else 60)
# Cache-Control max-age of public pages: how long browsers and proxies may reuse one unasked.
HTTP_CACHE_MAX_AGE = env.int("HTTP_CACHE_MAX_AGE", default=60)
# An HTTP cache in front (Varnish, or a CDN): how long it may keep a public page (purges make
# changes show at once; this bounds staleness when a purge fails; 0: no Surrogate-* headers),
# and where purges go.
FRONT_CACHE_SECONDS = env.int("FRONT_CACHE_SECONDS", default=0 if DEBUG else 300)
VARNISH_PURGE_URLS = env.list("VARNISH_PURGE_URLS", default=[])
FASTLY_SERVICE_ID = env("FASTLY_SERVICE_ID", default="")
FASTLY_API_TOKEN = env("FASTLY_API_TOKEN", default="")
FASTLY_API_URL = env("FASTLY_API_URL", default="https://api.fastly.com")
# Background tasks (django-tasks, Django 6's django.tasks backported). TASKS_BACKEND is the one
# choice: "database" keeps the queue in DATABASE_URL (no extra server; `manage.py worker` runs
# it), "rq" in Redis at TASKS_REDIS_URL for scale (same command), "immediate" runs each task
# in the process that enqueued it, after its transaction commits (no worker at all).
TASKS_BACKEND = env("TASKS_BACKEND", default="database")
TASKS_REDIS_URL = env("TASKS_REDIS_URL", default="redis://127.0.0.1:6379/2")
# How often an idle database-queue worker looks for new tasks: a front-cache purge waits up to
# this long (one indexed query each time; RQ workers are woken at once instead).
TASKS_POLL_SECONDS = env.float("TASKS_POLL_SECONDS", default=0.1)
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL}}
# Continuous ingest (articles/ingest/sources.py): how long a worker's claim on a source lasts
# between two batches of files; a killed worker's claim lapses after it.
NEWSROOM_INGEST_LEASE_SECONDS = env.int("NEWSROOM_INGEST_LEASE_SECONDS", default=120)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 1  # hours
AXES_RESET_ON_SUCCESS = True

# The admin's language when an editor's browser asks for none of LANGUAGES (e.g. zh-hans).
LANGUAGE_CODE = env("LANGUAGE_CODE", default="en")
# The interface languages: each is a URL prefix of the reader site (/zh-hans/…) with a catalog
# in locale/. Chinese is split by script, as OpenCC converts articles between the two.
LANGUAGES = [
    ("en", "English"),
    ("zh-hans", "简体中文"),
    ("zh-hant", "繁體中文"),
    ("fa", "فارسی"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# The prefix (and interface) of articles in a language the site has no interface for (Arabic…).
READER_DEFAULT_LANGUAGE = "en"
# The site's time zone: every page shows times in it, and names it. An IANA name.
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "var" / "static")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "var" / "media")
STORAGES = {
    "default": {
        "BACKEND": env("MEDIA_STORAGE", default="django.core.files.storage.FileSystemStorage")
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# S3-compatible media (django-storages), read only when MEDIA_STORAGE names its backend.
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
AWS_S3_CUSTOM_DOMAIN = env("AWS_S3_CUSTOM_DOMAIN", default=None)
AWS_QUERYSTRING_AUTH = False

# Security headers; production flips the HTTPS switches with SECURE=True.
SECURE = env.bool("SECURE", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=SECURE)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000 if SECURE else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:"],
        "media-src": [SELF, "https:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Import: which host is which publisher and language (override per run with --source/--language).
NEWSROOM_SOURCES = {
    "voachinese.com": {"name": "VOA Chinese", "language": "zh-Hans"},
    "rfa.org": {"name": "Radio Free Asia", "language": "zh-Hans"},
    "bbc.com": {"name": "BBC News", "language": "zh-Hans"},
    "bbc.co.uk": {"name": "BBC News", "language": "en"},
    "dw.com": {"name": "DW", "language": "zh-Hans"},
    "rfi.fr": {"name": "RFI", "language": "zh-Hans"},
    "nytimes.com": {"name": "The New York Times", "language": "zh-Hans"},
    "cn.nytimes.com": {"name": "The New York Times Chinese", "language": "zh-Hans"},
    "reuters.com": {"name": "Reuters", "language": "zh-Hans"},
    "ft.com": {"name": "Financial Times", "language": "zh-Hans"},
    "ftchinese.com": {"name": "FT Chinese", "language": "zh-Hans"},
    "chinadigitaltimes.net": {"name": "China Digital Times", "language": "zh-Hans"},
    "voanews.com": {"name": "Voice of America", "language": "en"},
    "voacantonese.com": {"name": "VOA Cantonese", "language": "zh-Hant"},
    "radiofarda.com": {"name": "Radio Farda", "language": "fa"},
    "alhurra.com": {"name": "Alhurra", "language": "ar"},
}
NEWSROOM_DEFAULT_LANGUAGE = env("NEWSROOM_DEFAULT_LANGUAGE", default="en")
# Image proxies whose `?url=` wraps the original picture; the importer unwraps them.
NEWSROOM_IMAGE_PROXIES = ["images.weserv.nl"]
# Image fetching (articles/images/): only public http(s) hosts. ALLOWED_HOSTS, when set, is the
# only hosts (or host:port) fetched; TRUSTED_NETWORKS are private ranges a closed network may
# fetch from (tests trust 127.0.0.1/32). Metadata addresses are refused regardless.
NEWSROOM_IMAGE_ALLOWED_HOSTS = env.list("NEWSROOM_IMAGE_ALLOWED_HOSTS", default=[])
NEWSROOM_IMAGE_TRUSTED_NETWORKS = env.list("NEWSROOM_IMAGE_TRUSTED_NETWORKS", default=[])
NEWSROOM_IMAGE_MAX_BYTES = env.int("NEWSROOM_IMAGE_MAX_BYTES", default=15 * 1024 * 1024)
NEWSROOM_IMAGE_MAX_PIXELS = env.int("NEWSROOM_IMAGE_MAX_PIXELS", default=40_000_000)
NEWSROOM_IMAGE_TIMEOUT = env.float("NEWSROOM_IMAGE_TIMEOUT", default=10.0)
NEWSROOM_IMAGE_MAX_REDIRECTS = env.int("NEWSROOM_IMAGE_MAX_REDIRECTS", default=3)
# Fetch images in the background after an import or a publish (the admin's action always can).
NEWSROOM_FETCH_IMAGES = env.bool("NEWSROOM_FETCH_IMAGES", default=True)
NEWSROOM_IMAGE_WIDTHS = env.list("NEWSROOM_IMAGE_WIDTHS", cast=int, default=[480, 960, 1600])
SITE_NAME = env("SITE_NAME", default="Newsroom")
# Reader search (articles/reader/search.py): how many of the newest matches one search ranks,
# counts and pages through, and on PostgreSQL how long its query may run.
NEWSROOM_SEARCH_MAX_RESULTS = env.int("NEWSROOM_SEARCH_MAX_RESULTS", default=1000)
NEWSROOM_SEARCH_TIMEOUT_MS = env.int("NEWSROOM_SEARCH_TIMEOUT_MS", default=5000)

# Content API (articles/api/): read-only, public GETs from any origin, anonymous clients limited
# per IP address to API_ANON_RATE ("120/min"); staff tokens (admin) are not limited.
API_ANON_RATE = env("API_ANON_RATE", default="120/min")
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=20)
REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["articles.api.renderers.UTF8JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.api.auth.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["articles.api.throttling.AnonymousRate"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "articles.api.errors.problem_handler",
    "UNAUTHENTICATED_USER": None,
    "UNICODE_JSON": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom Content API",
    "DESCRIPTION": "Published articles for apps, partners and headless front ends (read-only).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # `fields=` may leave any field out, so the schema requires none of them.
    "COMPONENT_NO_READ_ONLY_REQUIRED": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
CORS_URLS_REGEX = r"^/api/"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Retry-After"]

# The body editor in the admin: TinyMCE served from the django-tinymce package (never a CDN),
# with the few tools a news desk needs; the server sanitizes whatever it sends.
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    "language": "en_US",
    "height": 520,
    "menubar": False,
    "promotion": False,
    "branding": False,
    "plugins": "autolink link lists code searchreplace wordcount",
    "toolbar": "undo redo | blocks | bold italic | bullist numlist blockquote | "
    "link unlink | searchreplace removeformat | code",
    "block_formats": "Paragraph=p; Subhead=h2; Minor subhead=h3",
    "entity_encoding": "raw",
    "convert_urls": False,
    "browser_spellcheck": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
