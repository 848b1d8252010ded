"""SPP Tracker settings: one module, every deploy-time difference comes from the environment.

Environment variables (all optional for local use):

- ``DATABASE_URL``: ``sqlite:///path/db.sqlite3`` (default: ``db.sqlite3`` in the repository) or
  ``postgres://user:pass@host:5432/name``.
- ``DJANGO_SECRET_KEY``: required when ``DJANGO_DEBUG`` is off.
- ``DJANGO_DEBUG``: ``1``/``true``/``yes``/``on`` or ``0``/``false``/``no``/``off`` (default off).
- ``DJANGO_ALLOWED_HOSTS``: comma-separated host names (default ``localhost,127.0.0.1``).
- ``DJANGO_CSRF_TRUSTED_ORIGINS``: comma-separated origins, e.g. ``https://spp.example.org``.
- ``DJANGO_SECURE_SSL_REDIRECT``, ``DJANGO_SECURE_COOKIES``: HTTPS redirect and secure cookies (default on
  when DEBUG is off; switch off only where plain HTTP is served on a trusted network).
- ``SPP_PUBLIC_READ``: let anonymous visitors read the analyst pages, the CSV exports and the API
  (default off).
- ``SPP_API_ANON_RATE``, ``SPP_API_USER_RATE``: API throttling for anonymous visitors and for logged-in
  users or tokens, e.g. ``60/minute``, ``5000/hour`` (defaults); ``SPP_API_NUM_PROXIES``: how many
  proxies in front of the app append to X-Forwarded-For (default: use REMOTE_ADDR as given).
- ``REDIS_URL``: e.g. ``redis://127.0.0.1:6379/0``; a cache shared by every worker process, which also
  holds the sessions in front of the database (default: each process keeps its own in-memory cache, and
  sessions are read from the database). ``CACHE_KEY_PREFIX``: its key prefix (default ``spp``).
- ``DJANGO_ADMINS``: comma-separated ``Name <address>`` entries who receive error reports by mail.
- ``SENTRY_DSN``: opt-in error reporting to Sentry (no personal data is sent).
- ``DJANGO_DEBUG_TOOLBAR``: show django-debug-toolbar when DEBUG is on and it is installed (default on).
"""

import importlib.util
import os
from email.utils import parseaddr
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = ("1", "true", "yes", "on")
_FALSE = ("0", "false", "no", "off")


def env_bool(name, default=False):
    """Read a boolean from the environment; anything but the usual spellings is an error."""
    raw = os.environ.get(name, "").strip().lower()
    if raw == "":
        return default
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use one of {', '.join(_TRUE + _FALSE)}).")


def env_list(name, default=""):
    """Read a comma-separated list from the environment, dropping empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Commands (migrate, makemigrations, check) run on this public local key when none is set, and
# `check --deploy` flags it; the web server refuses to start on it with DEBUG off (spp_tracker/serving.py).
LOCAL_SECRET_KEY = "django-insecure-local-only-spp-tracker"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or LOCAL_SECRET_KEY
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "simple_history",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "summits",
    "agenda",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "spp_tracker.middleware.QueryLanguageMiddleware",  # ?lang=fr in shared links (after LocaleMiddleware)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    "agenda.signals.WriteRequestMiddleware",  # a write request: one transaction, one refresh (agenda/signals.py)
]

ROOT_URLCONF = "spp_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "spp_tracker" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
            "libraries": {"shared_page": "spp_tracker.page_cache"},
        },
    },
]

WSGI_APPLICATION = "spp_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL's JIT compiles any plan whose estimated cost passes jit_above_cost; the app's queries are
# short, and at 1M items compiling the dashboard's comparison took 4.7 s of CPU for a 90 ms query.
# DATABASE_JIT=1 leaves the server's setting (e.g. behind a pooler that refuses startup options).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool("DATABASE_JIT"):
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Behind PgBouncer in transaction pooling mode, server-side cursors must be off.
if env_bool("DATABASE_DISABLE_SERVER_SIDE_CURSORS"):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ModelBackend, with each user's permission set kept in the shared cache when there is one
# (spp_tracker/auth_backends.py): no permission queries on a logged-in request.
AUTHENTICATION_BACKENDS = ["spp_tracker.auth_backends.SharedCachePermissionsBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
# The reader's language: the switcher (Django's set_language) stores it in this cookie, ``?lang=xx``
# in a shared link sets it too (spp_tracker.middleware), else the browser's Accept-Language decides.
LANGUAGE_COOKIE_NAME = "spp_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_QUERY_PARAMETER = "lang"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "spp_tracker" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

FIXTURE_DIRS = [BASE_DIR / "fixtures"]

LOGIN_URL = "login"  # the site's login (analysts and staff); /admin/login/ is for staff only
LOGIN_REDIRECT_URL = "/"

# Analyst pages are for logged-in users unless this is switched on.
SPP_PUBLIC_READ = env_bool("SPP_PUBLIC_READ")

# --- JSON API (agenda/api/): read-only, the same access rule as the analyst pages -------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",  # scripts: "Authorization: Token <key>"
        "rest_framework.authentication.SessionAuthentication",  # browsers already logged in
    ],
    "DEFAULT_PERMISSION_CLASSES": ["agenda.api.permissions.CanReadRecord"],
    "DEFAULT_THROTTLE_CLASSES": [
        "agenda.api.throttling.AnonymousThrottle",
        "agenda.api.throttling.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("SPP_API_ANON_RATE", "60/minute"),
        "user": os.environ.get("SPP_API_USER_RATE", "5000/hour"),
    },
    "NUM_PROXIES": int(os.environ["SPP_API_NUM_PROXIES"]) if os.environ.get("SPP_API_NUM_PROXIES") else None,
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "agenda.api.pagination.KeysetPagination",
    "DEFAULT_SCHEMA_CLASS": "agenda.api.schema.RecordAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "SPP Tracker API",
    "DESCRIPTION": (
        "Read-only JSON API over the record of the Security and Prosperity Partnership of North America. "
        "Related rows are links (their identifier and API address), never copies. Lists are paged with "
        "an opaque `cursor` (follow `next` and `previous`)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "IrritantStatusEnum": "agenda.choices.IrritantStatus",
        "ConfidenceEnum": "agenda.choices.Confidence",
    },
}
# Health probes come from inside the host over plain HTTP: never redirect them to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Security settings that `check --deploy` expects in production; relaxed only in DEBUG.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp 4): every script and stylesheet is a static file of this site;
# no inline <script>, <style> or style="" anywhere (a test checks the templates). The SVG charts use
# presentation attributes (fill=...), which a style-src policy does not govern.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# One cache for every worker when REDIS_URL is set (production), else a per-process memory cache.
SPP_SHARED_CACHE = bool(os.environ.get("REDIS_URL"))
if SPP_SHARED_CACHE:
    CACHES = {
        "default": {
            "BACKEND": "spp_tracker.redis_cache.RedisCache",  # Django's, one client per pool
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "spp"),
        }
    }
    # Sessions are read from that shared cache (no SELECT on django_session per request) and written
    # to both, so they survive a Redis restart or eviction. Not with a per-process cache: a session
    # deleted at log-out in one worker would live on in the others' memory.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# With a shared cache, the analysts' list, item pages and dashboard are rendered once per state of the
# record and shared by every reader (their views mix in spp_tracker.page_cache.SharedPageMixin).

# Error reports: mail to ADMINS (needs EMAIL_* settings of the host), and Sentry when SENTRY_DSN is set.
ADMINS = [parseaddr(entry) for entry in env_list("DJANGO_ADMINS")]
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
if os.environ.get("SENTRY_DSN"):
    import sentry_sdk

    sentry_sdk.init(
        dsn=os.environ["SENTRY_DSN"],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        send_default_pii=False,
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# django-debug-toolbar: development only (DEBUG on and the dev extra installed).
DEBUG_TOOLBAR = (
    DEBUG
    and env_bool("DJANGO_DEBUG_TOOLBAR", default=True)
    and bool(importlib.util.find_spec("debug_toolbar"))
)
if DEBUG_TOOLBAR:
    INSTALLED_APPS.append("debug_toolbar")
    MIDDLEWARE.insert(0, "debug_toolbar.middleware.DebugToolbarMiddleware")
    INTERNAL_IPS = ["127.0.0.1", "::1"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}
