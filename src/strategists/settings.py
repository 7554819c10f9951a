"""Settings for 1000 Strategists.

Embedded defaults need nothing installed (SQLite in WAL mode, local-memory cache, tasks in the
database, mail written to files under var/). Everything that differs in production comes from
STRATEGISTS_* environment variables; see README.md for the list.
"""

import json
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("STRATEGISTS_VAR_DIR", PROJECT_DIR / "var"))


def env(name: str, default: str = "") -> str:
    return os.environ.get(f"STRATEGISTS_{name}", default)


def env_flag(name: str, default: bool = False) -> bool:
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """A key from the environment, or one generated once and kept under var/ for local use."""
    if key := env("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


SECRET_KEY = _secret_key()
# Under pytest: tasks run inline, static files come from the finders.
TESTING = env_flag("TESTING") or "pytest" in sys.modules
DEBUG = env_flag("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
PUBLIC_URL = env("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", PUBLIC_URL)
# Shown by wallets on every credential (OB 3.0 issuer email); LinkedIn's "add to profile" link
# names the issuer by its LinkedIn organization id when one is set, else by name.
CREDENTIAL_ISSUER_EMAIL = env("ISSUER_EMAIL", "credentials@example.org")
LINKEDIN_ORGANIZATION_ID = env("LINKEDIN_ORGANIZATION_ID", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "django_ratelimit",
    "strategists.common",
    "strategists.accounts",
    "strategists.audit",
    "strategists.events",
    "strategists.planner",
    "strategists.curriculum",
    "strategists.convening",
    "strategists.community",
    "strategists.referrals",
    "strategists.goals",
    "strategists.api",
    "strategists.messaging",
    "strategists.imports",
    # After goals: their demo parts read the trainers the goals demo assigns.
    "strategists.surveys",
    "strategists.materials",
    "strategists.webhooks",
    # The Django admin at /admin/, for superusers only (common/admin_site.py). Last, so the
    # platform's own templates always come before the admin's.
    "strategists.common.admin_apps.StrategistsAdminConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Before CSRF, the first to read a body: refuses one too big with a 413 (JSON under /api/).
    "strategists.common.badinput.RequestBodyMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Anonymous visitors get the public pages from the cache (common/pagecache.py).
    "strategists.common.pagecache.PublicPageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "strategists.common.middleware.ContentSecurityPolicyMiddleware",
    "strategists.common.permissions.LoginRequiredMiddleware",
    "strategists.common.audit.AuditContextMiddleware",
    # Turns a RateLimited raised by a view or a form into the 429 page (RATELIMIT_VIEW).
    "django_ratelimit.middleware.RatelimitMiddleware",
]

ROOT_URLCONF = "strategists.urls"
WSGI_APPLICATION = "strategists.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "strategists.common.context_processors.program",
            ],
        },
    }
]

# Database: SQLite in WAL mode with immediate transactions by default, so concurrent writers
# queue on the lock instead of failing half-way; PostgreSQL from STRATEGISTS_DATABASE_URL.
DATABASE_URL = env("DATABASE_URL")
# Every SQLite database, the default file or one named by a sqlite:/// URL, gets the same safe
# settings: without them a worker signing credentials makes web requests fail with "database
# is locked".
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
        "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
    ),
}
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"]["OPTIONS"] = {
            **SQLITE_OPTIONS,
            **DATABASES["default"].get("OPTIONS", {}),
        }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "strategists.sqlite3")),
            "OPTIONS": SQLITE_OPTIONS,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := env("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Public pages an anonymous visitor sees are kept this long in the cache at most; a change to
# the data they show makes a new page at once in every process that shares the cache
# (common/pagecache.py). 0 switches the page cache off (the default under pytest, whose tests
# read each response's context; tests/common/test_pagecache.py switches it on).
PAGE_CACHE_SECONDS = int(env("PAGE_CACHE_SECONDS", "0" if TESTING else "5"))

# Abuse limits, all in this one block: django-ratelimit counts them for pages
# (strategists.common.ratelimits), DRF throttles for the API (strategists.api.throttles), both
# in the default cache above. A limit is {key: rate}; keys: "ip", "user" (the signed-in
# person, else the IP), "email" (the address typed in the form), "ip+email". Rates read
# "5/15m", "20/h", "3/d". Sign-in counts failures only, and never by address alone: an
# attacker's guesses from elsewhere can't lock the real owner out. STRATEGISTS_RATELIMITS (JSON)
# replaces single limits, e.g. {"api": {"user": "5000/h"}}.
RATELIMITS = {
    "community_post": {"user": "30/h"},  # threads, replies, reports, mentor asks, posts
    "login": {"ip": "50/15m", "ip+email": "5/15m"},
    "signup": {"ip": "10/h"},
    "password_reset": {"ip": "10/h", "email": "3/h"},
    "verification_resend": {"ip": "10/h", "email": "3/h"},
    "account_claim": {"ip": "10/h", "email": "3/h"},
    "ask": {"user": "30/m"},
    "question": {"user": "10/h"},
    "upload": {"user": "30/h"},
    "survey": {"ip": "30/h"},  # the after-training survey, opened from a mailed link
    "verify": {"ip": "30/m"},
    "language": {"ip": "60/m"},  # the footer's language links
    "wallet": {"ip": "30/m"},  # a wallet collecting a credential
    "endorse": {"user": "20/h"},  # endorsing and withdrawing endorsements
    "convening_propose": {"user": "20/h"},  # session proposals
    "api": {"user": "1000/h", "ip": "100/h"},  # "user": per token holder; "ip": without a token
    # record_attendance_helper called by a token that may not see the attendees: mails an address gets
    "api_attendance": {"email": "3/h"},
    "message_send": {"user": "10/h"},  # messages to a segment (messaging)
    "unsubscribe": {"ip": "30/m"},  # one-click links, no session
    "preferences": {"user": "30/h"},  # mail preferences and the mobile number
    "sms_inbound": {"ip": "120/m"},  # the SMS provider's webhook (STOP)
    "imports": {"user": "30/h"},  # uploads of CSV files to import
    "exports": {"user": "60/h"},  # CSV downloads of people, registrations, attendance
    # A training's sign-up form, its mailed confirmation and answers: per person (or address
    # when signed out), and mails to one address.
    "registration": {"user": "30/h", "email": "3/h"},
    "webhooks": {"user": "60/h"},  # coordinators' changes to webhook endpoints, redeliveries
    "webhook_ping": {"user": "20/h"},  # test pings: each one is a request to another server
}
for _name, _rates in json.loads(env("RATELIMITS", "{}")).items():
    RATELIMITS.setdefault(_name, {}).update(_rates)
RATELIMIT_ENABLE = env_flag("RATELIMIT_ENABLE", True)
RATELIMIT_VIEW = "strategists.common.ratelimits.too_many_requests"
# django-ratelimit wants a cache shared by every server process with an atomic increment.
# Django's RedisCache has both (INCR); it is only missing from the library's list of known
# backends (W001). LocMemCache increments under a lock but counts per process (E003): right for
# the embedded setup, one waitress process with many threads; several processes need Redis.
SILENCED_SYSTEM_CHECKS = [
    "django_ratelimit.W001",
    *([] if redis_url else ["django_ratelimit.E003"]),
]

TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if TESTING
        else env("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}

# Redis (STRATEGISTS_REDIS_URL, e.g. redis://127.0.0.1:6379/0) holds the cache shared by every
# web process (Django's own RedisCache: the `redis` client is all it needs, no django-redis),
# and the task queues with STRATEGISTS_TASKS_BACKEND=django_tasks_rq.RQBackend: then the RQ app
# is installed, its queue is in the same Redis, and `strategists worker` runs django-rq's worker.
if TASKS["default"]["BACKEND"] == "django_tasks_rq.RQBackend":
    if not redis_url:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured(
            "STRATEGISTS_TASKS_BACKEND=django_tasks_rq.RQBackend needs STRATEGISTS_REDIS_URL."
        )
    INSTALLED_APPS.append("django_rq")
    # Every task runs on the "default" queue; one may run for ten minutes.
    RQ_QUEUES = {"default": {"URL": redis_url, "DEFAULT_TIMEOUT": 600}}
# Periodic jobs (common/schedule.py) take a lease in the database so that each runs once across
# every worker on every machine; a worker that dies mid-job gives its lease up after this long.
JOB_LEASE_SECONDS = int(env("JOB_LEASE_SECONDS", "600"))
# A task whose worker died runs again; a failed one runs again after a back-off that starts here
# and doubles (at most an hour), until this many attempts (common/task_services.py).
TASK_RETRY_SECONDS = int(env("TASK_RETRY_SECONDS", "60"))
TASK_MAX_ATTEMPTS = int(env("TASK_MAX_ATTEMPTS", "5"))
# A plan run that wrote no progress for this long lost its worker: it is marked failed, so the
# year's planner can be started again.
PLANNER_STALE_SECONDS = int(env("PLANNER_STALE_SECONDS", "300"))
# Webhooks: seconds a receiver has to answer; how long a sender holds a delivery before another
# may take it over (longer than the timeout); and whether deliveries may go to 127.0.0.1 over
# plain http (development and tests only: production sends to public https addresses only).
WEBHOOK_TIMEOUT = float(env("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_LEASE_SECONDS = int(env("WEBHOOK_LEASE_SECONDS", "120"))
WEBHOOKS_ALLOW_LOCAL = env_flag("WEBHOOKS_ALLOW_LOCAL", DEBUG or TESTING)

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "home"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns about a missing directory
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Mail goes through Django's backends: files under var/mail by default, SMTP in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"
# Text messages (messaging/sms_backends.py): a file per text under var/sms/ unless a provider is
# set, e.g. STRATEGISTS_SMS_BACKEND=strategists.messaging.sms_backends.HttpBackend with its URL,
# user and password; STOP replies come to /messages/sms/inbound/, signed with the webhook secret.
SMS_BACKEND = env("SMS_BACKEND", "strategists.messaging.sms_backends.FileBackend")
SMS_FILE_PATH = Path(env("SMS_FILE_PATH", str(VAR_DIR / "sms")))
SMS_HTTP_URL = env("SMS_HTTP_URL")
SMS_HTTP_USER = env("SMS_HTTP_USER")
SMS_HTTP_PASSWORD = env("SMS_HTTP_PASSWORD")
SMS_HTTP_TIMEOUT = int(env("SMS_HTTP_TIMEOUT", "10"))
SMS_FROM = env("SMS_FROM", "1000 Strategists")
SMS_WEBHOOK_SECRET = env("SMS_WEBHOOK_SECRET")
SMS_LEASE_SECONDS = int(env("SMS_LEASE_SECONDS", "300"))
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_flag("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "1000 Strategists <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Every SMTP socket operation gives up after this many seconds: a hung mail server delays mail
# (the sender retries with back-off), never anything else.
EMAIL_TIMEOUT = float(env("EMAIL_TIMEOUT", "10"))
# A sender holds a message for this long; if it dies, the next sweep sends the message.
MAIL_LEASE_SECONDS = int(env("MAIL_LEASE_SECONDS", "300"))
# Bodies of sent or failed mail (which hold one-click links) are blanked after this many days.
MAIL_BODY_RETENTION_DAYS = int(env("MAIL_BODY_RETENTION_DAYS", "90"))

# Behind HTTPS (STRATEGISTS_HTTPS=1) every cookie is secure and plain HTTP is redirected.
HTTPS = env_flag("HTTPS")
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_flag("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'self'; object-src 'none'"
)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": [],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    # Rates come from RATELIMITS["api"].
    "DEFAULT_THROTTLE_CLASSES": ["strategists.api.throttles.ApiThrottle"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "1000 Strategists API",
    "DESCRIPTION": "Action Network v2 / OSDI compatible API of the 1000 Strategists program.",
    "VERSION": "2",
    # Action Network's paths have no trailing slash; the slash aliases stay out of the schema.
    "PREPROCESSING_HOOKS": ["strategists.api.schema.hide_slash_aliases"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# /healthz: a worker silent for this long is dead; mail queued this long is late.
HEALTH_WORKER_STALE_SECONDS = int(env("HEALTH_WORKER_STALE_SECONDS", "180"))
# How often each worker says it is alive: well under the staleness above, after which the tasks
# it was running are run again by another worker (common/task_services.py).
WORKER_HEARTBEAT_SECONDS = int(env("WORKER_HEARTBEAT_SECONDS", "30"))
HEALTH_OUTBOX_MAX_AGE_SECONDS = int(env("HEALTH_OUTBOX_MAX_AGE_SECONDS", "900"))
HEALTH_OUTBOX_MAX_LATE = int(env("HEALTH_OUTBOX_MAX_LATE", "0"))

# Credential signing keys: files in this folder, or one key in STRATEGISTS_SIGNING_KEY.
SIGNING_KEYS_DIR = Path(env("SIGNING_KEYS_DIR", str(VAR_DIR / "keys")))

# The program's goal, shown on the home page and the progress page.
PROGRAM_TARGET = int(env("PROGRAM_TARGET", "1000"))
# The program's own organization (its slug): the API gives it to events a coordinator creates
# without naming an organization.
PROGRAM_ORGANIZATION_SLUG = env("PROGRAM_ORGANIZATION_SLUG", "1000-strategists")
