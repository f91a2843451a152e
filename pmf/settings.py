"""One settings module for every environment, driven by environment variables.

The embedded default (no variables set) is a laptop demo: SQLite, Celery tasks run
eagerly, DEBUG on. Production is selected by ``DJANGO_DEBUG=0`` and then refuses to
start without the values it cannot safely guess. ``.env.example`` lists every variable.
"""

import os
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from pmf import sso

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def required_in_production(name: str, hint: str) -> str:
    value = env(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when DJANGO_DEBUG is off: {hint}")
    return value


# Published here, so it signs nothing in production: production_secret_key refuses it.
DEVELOPMENT_SECRET_KEY = "development-only-insecure-key-do-not-use-in-production"  # noqa: S105 (meant to be known)
# Also published, so refused alike: the key an earlier Dockerfile collected static files with (each build now
# makes its own), and the prefix of the keys `django-admin startproject` writes into a new project.
FORMER_BUILD_SECRET_KEY = "build-only-collectstatic-signs-nothing-with-this-placeholder-key"  # noqa: S105 (known)
STARTPROJECT_KEY_PREFIX = "django-insecure-"
KEY_ADVICE = "a long random string, e.g. `openssl rand -hex 50`"
# .env.example's database passwords start with this; docker-compose.yml would start with them unchanged.
PLACEHOLDER_PASSWORD_PREFIX = "change-this"  # noqa: S105 (meant to be known)


def production_secret_key() -> str:
    """The production ``SECRET_KEY``, refused when it could be guessed.

    It signs sessions, CSRF tokens and calendar-feed addresses: a known or short key lets anyone forge them.
    1. It must be set.
    2. It must not be a published key: the development key above, the Dockerfile's former build-time
       placeholder, or a key `django-admin startproject` wrote (they start ``django-insecure-``).
    3. It must be at least 50 characters with at least 5 different ones (Django's own deploy check).
    """
    key = required_in_production("SECRET_KEY", KEY_ADVICE)
    if key == DEVELOPMENT_SECRET_KEY:
        raise ImproperlyConfigured(
            f"SECRET_KEY is the development key published in pmf/settings.py: set {KEY_ADVICE}"
        )
    if key == FORMER_BUILD_SECRET_KEY or key.startswith(STARTPROJECT_KEY_PREFIX):
        raise ImproperlyConfigured(
            "SECRET_KEY is a published placeholder (the Dockerfile's former build-time key, or a key "
            f"starting {STARTPROJECT_KEY_PREFIX!r} as startproject writes): set {KEY_ADVICE}"
        )
    if len(key) < 50 or len(set(key)) < 5:
        raise ImproperlyConfigured(
            f"SECRET_KEY is too short or too simple ({len(key)} characters, {len(set(key))} different; "
            f"at least 50 and 5 are needed): set {KEY_ADVICE}"
        )
    return key


def refuse_placeholder_password(database: Mapping[str, object]) -> None:
    """Production refuses to connect with one of ``.env.example``'s passwords (they start "change-this").

    Copying ``.env.example`` to ``.env`` is the first step of the compose instructions, and the file must stay
    valid for ``docker compose config``; this stops the migrate step and the app there instead, before a
    database anyone could guess the password of holds Board data.
    """
    password = str(database.get("PASSWORD") or "")
    if password.lower().startswith(PLACEHOLDER_PASSWORD_PREFIX):
        raise ImproperlyConfigured(
            f"DATABASE_URL's password is a placeholder from .env.example (it starts "
            f"{PLACEHOLDER_PASSWORD_PREFIX!r}): set POSTGRES_PASSWORD, PMF_DB_OWNER_PASSWORD and "
            "PMF_DB_APP_PASSWORD in .env to long random strings, e.g. `openssl rand -hex 32` "
            "(a database already made with them: see docs/security.md)"
        )


DEBUG = env_flag("DJANGO_DEBUG", True)

if DEBUG:
    SECRET_KEY = env("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
    ALLOWED_HOSTS = [h for h in env("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
else:
    SECRET_KEY = production_secret_key()
    ALLOWED_HOSTS = required_in_production(
        "ALLOWED_HOSTS", "a comma-separated list of host names, e.g. pmf.trust.nhs.uk"
    ).split(",")

CSRF_TRUSTED_ORIGINS = [o for o in env("CSRF_TRUSTED_ORIGINS").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "django_celery_beat",
    "simple_history",
    "axes",
    "csp",
    "pmf",
    "divisions",
    "kpis",
    "national",
    "strategy",
    "reviews",
    "escalation",
    "pipeline",
    "trust_setup",
    "dashboards",
    "scorecards",
    "demo",
    "bench",
    "roof",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages gzipped (static files come compressed from WhiteNoise, above); BREACH: see docs/security.md.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication, to know who is signed in; after WhiteNoise, so static files keep their caching.
    "pmf.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, so that it sees every failed sign-in the authentication backends report.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "roof.urls"
WSGI_APPLICATION = "roof.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pmf.context_processors.product",
                "pipeline.context_processors.pipeline_status",
                "divisions.context_processors.words",
            ],
        },
    },
]

# No DATABASE_URL: a SQLite file beside manage.py. With it: PostgreSQL (or anything
# dj-database-url understands). Connections are kept for a minute in production.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=0 if DEBUG else 60,
    )
}
if not DEBUG:
    refuse_placeholder_password(DATABASES["default"])
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a management command writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "pmf.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out account before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# The trust's single sign-on (OpenID Connect), only when configured; see docs/security.md.
try:
    SSO = sso.oidc_settings(os.environ)
except ValueError as problem:
    raise ImproperlyConfigured(str(problem)) from None
if SSO:
    INSTALLED_APPS.append(sso.APP)
    AUTHENTICATION_BACKENDS.insert(1, sso.BACKEND)
    globals().update(SSO)
PMF_SSO_ENABLED = bool(SSO)

# Lock-out after repeated failed sign-ins, per username and per address.
AXES_FAILURE_LIMIT = int(env("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(env("AXES_COOLOFF_HOURS", "1"))  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False

# Content-Security-Policy: scripts only from this site (no inline script anywhere),
# nothing fetched from other hosts. Plotly writes its own <style> elements, hence
# 'unsafe-inline' for styles only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", CELERY_BROKER_URL) or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The longest any job may take. A message a worker took but never acknowledged (it died) goes back on the
# queue after this long (Redis), and a job still "running" after it has lost its worker (``catch_up``).
PMF_LONGEST_JOB_SECONDS = int(env("PMF_LONGEST_JOB_SECONDS", "1800"))
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": PMF_LONGEST_JOB_SECONDS}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"visibility_timeout": PMF_LONGEST_JOB_SECONDS}
PMF_JOB_STALE_AFTER = timedelta(seconds=PMF_LONGEST_JOB_SECONDS)
# Background work that fails after a commit (a pipeline step, a task run in-process) is recorded and shown,
# not raised into the request that committed; tests raise it, so a failure fails the test.
PMF_RAISE_BACKGROUND_ERRORS = False
# A worker process starts the chart browser for PDF packs as it starts (kpis.chart_browser).
PMF_CHART_BROWSER_AT_WORKER_START = env_flag("PMF_CHART_BROWSER_AT_WORKER_START", True)

EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# The trust's mail server. Set, it sends through SMTP and the sign-in page offers "forgot your password";
# blank, there is no reset by e-mail (the performance team sets a new password instead).
EMAIL_HOST = env("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "pmf@localhost")
# The address people use to reach PMF, for links in e-mails (reminders are sent from a worker, not a request).
PMF_BASE_URL = (env("PMF_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")

SESSION_COOKIE_AGE = int(env("SESSION_COOKIE_AGE", str(8 * 60 * 60)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    # The health check is asked over plain http from inside the container (docker-compose.yml) or by a load
    # balancer; it answers only {"status": "ok"}, so it is the one path not sent to https.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_REFERRER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
}

# Product settings
PMF_UPLOAD_MAX_BYTES = int(env("PMF_UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
