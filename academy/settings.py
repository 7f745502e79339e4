"""Settings for Academy, read from the environment.

Defaults give a working local product: SQLite file, in-memory cache, e-mails written to files
under ``var/mail`` and background tasks stored in the database. Production sets
``DJANGO_DEBUG=0`` and the variables documented in the README.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("ACADEMY_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    """Return the boolean value of environment variable ``name`` ("1", "true", "yes" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key() -> str:
    """Return ``DJANGO_SECRET_KEY`` or a key kept in ``var/secret_key`` (created once, never committed)."""
    if key := os.environ.get("DJANGO_SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("ACADEMY_SITE_URL", "http://127.0.0.1:%s" % os.environ.get("PORT", "8000")).rstrip("/")

INSTALLED_APPS = [
    # The admin site with an optional second factor for staff (academy.accounts.admin_site).
    "academy.accounts.apps.AcademyAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.sitemaps",
    "django_tasks",
    "academy.core.apps.TaskResultsConfig",  # django_tasks_db, named for staff
    "csp",
    "django_otp",
    "academy.accounts.apps.OtpTotpConfig",  # django_otp.plugins.otp_totp, named for staff
    "academy.core",
    "academy.accounts",
    # After core, whose runserver (a larger connection queue) extends staticfiles' own.
    "django.contrib.staticfiles",
    "academy.privacy",
    "academy.catalog",
    "academy.scheduling",
    "academy.enrolment",
    "academy.attendance",
    "academy.evaluation",
    "academy.certification",
    "academy.commerce",
    "academy.invoicing",
    "academy.clientspace",
    "academy.compliance",
    # The REST API and webhooks (only this app imports the REST framework).
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "academy.api",
]

MIDDLEWARE = [
    # Outermost, so that every response carries the header, redirects included.
    "academy.core.middleware.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files with far-future caching and pre-compressed variants (docs/deployment.md).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Under /api/, the same refusals as problem documents (application/problem+json).
    "academy.api.middleware.ApiProblemMiddleware",
    # Before CSRF, which reads the form: a body that is not UTF-8 answers 400 with a message.
    "academy.core.middleware.FormEncodingMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After authentication: a trainer's device passed around the room stays on the kiosk page.
    "academy.attendance.kiosk.KioskLockMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "academy.privacy.middleware.AudienceMiddleware",
    # A document whose storage cannot be reached answers 503 with a page (academy.core.storage).
    "academy.core.storage.StorageUnavailableMiddleware",
]

ROOT_URLCONF = "academy.urls"
WSGI_APPLICATION = "academy.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "academy" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "academy.core.context_processors.organisation",
                "academy.accounts.context_processors.roles",
                # Placeholders for per-visitor parts of pages rendered for the page cache.
                "academy.core.pagecache.context_processor",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", "sqlite:///%s" % (VAR_DIR / "academy.sqlite3")),
        # Persistent connections in production (each checked before reuse), none in development.
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0" if DEBUG else "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite has one writer at a time and ignores select_for_update(). Writers must queue instead
    # of failing with "database is locked": every transaction takes the write lock when it begins
    # (IMMEDIATE: a transaction that read first cannot be refused the lock later, which SQLite
    # answers at once, without waiting), readers never block the writer (WAL), and a writer waits
    # its turn for up to ``timeout`` seconds.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": int(os.environ.get("ACADEMY_SQLITE_TIMEOUT", "60")),
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

if redis_url := os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": redis_url}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Page cache of public pages for anonymous visitors (see academy/core/pagecache.py and
# docs/speed.md): on by default, kept at most ACADEMY_PAGE_CACHE_SECONDS, invalidated on commit.
ACADEMY_PAGE_CACHE_ENABLED = env_bool("ACADEMY_PAGE_CACHE", True)
ACADEMY_PAGE_CACHE_SECONDS = int(os.environ.get("ACADEMY_PAGE_CACHE_SECONDS", "300"))
# A new translation catalogue gives every cached page a new key (no page in old wording survives a deploy).
# The key comes from the catalogues' contents, so every node of a deployment computes the same one.
ACADEMY_PAGE_CACHE_RELEASE = hashlib.sha256(
    b"".join(mo.read_bytes() for mo in sorted(BASE_DIR.glob("academy/**/locale/*/LC_MESSAGES/django.mo")))
).hexdigest()[:16]

# Background tasks: "database" (the default: one machine, nothing else to run) or "redis" (RQ,
# workers on many machines); a dotted backend path is also accepted. See docs/deployment.md.
TASK_BACKENDS = {"database": "django_tasks_db.DatabaseBackend", "redis": "django_tasks_rq.RQBackend"}
_task_backend = os.environ.get("ACADEMY_TASK_BACKEND", "database")
TASKS = {
    "default": {
        "BACKEND": TASK_BACKENDS.get(_task_backend, _task_backend),
        "QUEUES": ["default"],
    }
}
if TASKS["default"]["BACKEND"] == TASK_BACKENDS["redis"]:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    _task_redis_url = os.environ.get("ACADEMY_TASK_REDIS_URL") or os.environ.get("REDIS_URL")
    if not _task_redis_url:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("ACADEMY_TASK_BACKEND=redis needs ACADEMY_TASK_REDIS_URL or REDIS_URL.")
    # A job may run as long as work may stay "running" before it counts as interrupted.
    RQ_QUEUES = {
        "default": {
            "URL": _task_redis_url,
            "DEFAULT_TIMEOUT": int(os.environ.get("ACADEMY_STALE_TASK_SECONDS", "1800")),
        }
    }

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "academy" / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("ACADEMY_STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise serves it (filled by collectstatic)
# Project-wide assets (site stylesheet, fonts) live outside any app.
STATICFILES_DIRS = [BASE_DIR / "academy" / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("ACADEMY_MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Production serves hashed, compressed copies made by collectstatic (WhiteNoise); set
    # ACADEMY_STATIC_MANIFEST=0 to serve the plain files (then run nothing before starting).
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("ACADEMY_STATIC_MANIFEST", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Documents and signatures in S3-compatible object storage (ACADEMY_STORAGE=s3): a private bucket,
# files never public, never overwritten; pages serve them after their own access check.
if os.environ.get("ACADEMY_STORAGE", "local") == "s3":
    from botocore.config import Config as BotoConfig

    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["ACADEMY_S3_BUCKET"],
            "endpoint_url": os.environ.get("ACADEMY_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ACADEMY_S3_REGION") or None,
            "access_key": os.environ.get("ACADEMY_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("ACADEMY_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("ACADEMY_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "addressing_style": os.environ.get("ACADEMY_S3_ADDRESSING_STYLE", "path"),
            "client_config": BotoConfig(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }
FONTS_DIR = BASE_DIR / "academy" / "static" / "academy" / "fonts"

# E-mail: SMTP when EMAIL_HOST is set, otherwise every message is written to var/mail
# so that nothing sent is ever silently dropped.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Academy <academy@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"

# Delivery attempts of one e-mail before it waits for staff (1, 2, 4, 8… minutes apart), and how
# long background work may run before it counts as left behind by a dead worker and is redone
# (academy.core.delivery); the latter must exceed the longest task.
ACADEMY_EMAIL_MAX_ATTEMPTS = int(os.environ.get("ACADEMY_EMAIL_MAX_ATTEMPTS", "6"))
ACADEMY_STALE_TASK_SECONDS = int(os.environ.get("ACADEMY_STALE_TASK_SECONDS", "1800"))

# Who hears about requests, bookings and cancellations (comma-separated); default: the
# organisation's contact e-mail, else every active staff user.
ACADEMY_STAFF_EMAILS = [a for a in os.environ.get("ACADEMY_STAFF_EMAILS", "").split(",") if a.strip()]
# Trainees and trainers may sign a half-day from this many minutes before it starts (room set-up,
# early arrivals); never earlier. See docs/attendance-and-certificates.md.
ACADEMY_SIGNING_OPENS_MINUTES_BEFORE = int(os.environ.get("ACADEMY_SIGNING_OPENS_MINUTES_BEFORE", "15"))

# Where the bundled course files live (see README, "Catalogue files").
# Invoicing: the seller's VAT number (empty while every line is exempt as training, CGI art.
# 261-4-4°-a), payment terms and the late-payment penalty rate printed on invoices (L441-10).
ACADEMY_INVOICE_VAT_NUMBER = os.environ.get("ACADEMY_INVOICE_VAT_NUMBER", "")
ACADEMY_INVOICE_VAT_EXEMPT = os.environ.get("ACADEMY_INVOICE_VAT_EXEMPT", "1") == "1"
ACADEMY_INVOICE_PAYMENT_DAYS = int(os.environ.get("ACADEMY_INVOICE_PAYMENT_DAYS", "30"))
ACADEMY_INVOICE_LATE_PENALTY_RATE = os.environ.get("ACADEMY_INVOICE_LATE_PENALTY_RATE", "")
ACADEMY_INVOICE_REMINDER_DAYS = int(os.environ.get("ACADEMY_INVOICE_REMINDER_DAYS", "7"))

CATALOGUE_DIR = Path(os.environ.get("ACADEMY_CATALOGUE_DIR", BASE_DIR / "catalogue"))

# Security baseline (see docs/security.md).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 12
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features no page uses are switched off for the site and anything it embeds
# (academy.core.middleware.PermissionsPolicyMiddleware).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}
# Uploads: refuse large request bodies outright; per-field type and size checks in
# academy.privacy.uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Content Security Policy (django-csp 4): no inline script or style, nothing from elsewhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Staff second factor (django-otp, TOTP): optional per user, required once a device is confirmed.
OTP_TOTP_ISSUER = os.environ.get("ACADEMY_OTP_ISSUER", "Academy")
# Device secrets are never shown in the admin: each person enrols their own device (accounts:two_factor).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Failed admin log-ins allowed per (IP address, username) before a pause, and the pause in seconds.
ACADEMY_LOGIN_FAILURE_LIMIT = int(os.environ.get("ACADEMY_LOGIN_FAILURE_LIMIT", "5"))
ACADEMY_LOGIN_FAILURE_WINDOW = int(os.environ.get("ACADEMY_LOGIN_FAILURE_WINDOW", "900"))

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Logs: text on standard error in development; in production (ACADEMY_LOG_FORMAT=json, the default
# when DEBUG is off) one JSON object per line on standard output, for the journal or a collector.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line_client_errors": {"()": "academy.core.logfilters.OneLineClientErrors"}},
    "formatters": {"json": {"()": "academy.core.logfilters.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["one_line_client_errors"],
            **(
                {"formatter": "json", "stream": "ext://sys.stdout"}
                if os.environ.get("ACADEMY_LOG_FORMAT", "text" if DEBUG else "json") == "json"
                else {}
            ),
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    # Django's own loggers keep no handler of their own (its default one printed each error a second
    # time in development): they reach the root's handler once.
    "loggers": {"django": {"handlers": [], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING"), "propagate": True}},
}
# Health probes answer on plain HTTP too: the load balancer checks each node directly.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Periodic work: one due time every this many seconds; whichever node claims it first enqueues
# the jobs, the others skip it (academy.core.scheduler).
ACADEMY_PERIODIC_SECONDS = int(os.environ.get("ACADEMY_PERIODIC_SECONDS", "300"))


# REST API (academy.api): bearer tokens only (no cookie session, hence no CSRF), problem details,
# a rate per token, OpenAPI 3.1 schema at /api/v1/schema/ and Swagger UI served from our static files.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["academy.api.authentication.ApiTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["academy.api.permissions.TokenScopePermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "academy.api.problems.ProblemJSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["academy.api.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["academy.api.throttling.TokenRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "academy.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "academy.api.problems.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Academy API",
    "DESCRIPTION": "Catalogue, enrolments, attendance, certificates, evaluation, commerce and invoicing. See docs/api.md.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "acad_<prefix>_<secret>"}
        }
    },
    "SECURITY": [{"bearerAuth": []}],
    "AUTHENTICATION_WHITELIST": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "academy.api.schema.add_problem_responses",
    ],
}
ACADEMY_API_RATE = os.environ.get("ACADEMY_API_RATE", "600/min")  # requests per token
ACADEMY_WEBHOOK_TIMEOUT = int(os.environ.get("ACADEMY_WEBHOOK_TIMEOUT", "10"))
ACADEMY_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("ACADEMY_WEBHOOK_MAX_ATTEMPTS", "8"))
