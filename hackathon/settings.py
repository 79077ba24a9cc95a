"""Settings for the platform, read from the environment.

One file for every environment. Unset variables give the embedded default
(SQLite, eager Celery, local-memory cache, mail to the console);
`DJANGO_ENV=production` turns on the production profile, which refuses to
start without the secrets it needs.
"""

from __future__ import annotations

import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from hackathon.env import env_bool, env_choice, env_hosts, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DJANGO_ENV = env_choice("DJANGO_ENV", "development", ("development", "production", "test"))
PRODUCTION = DJANGO_ENV == "production"
TESTING = DJANGO_ENV == "test" or "pytest" in sys.modules

# The embedded demo (make run): no mail verification, console mail, demo logins shown.
DEMO = env_bool("DEMO", default=False)

if PRODUCTION:
    SECRET_KEY = env_str("SECRET_KEY")
    if len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "SECRET_KEY must be at least 50 characters with at least 5 different ones "
            "and not start with 'django-insecure' in production."
        )
    ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", [])
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
else:
    SECRET_KEY = env_str("SECRET_KEY", "django-insecure-development-key-do-not-use-in-production")
    ALLOWED_HOSTS = env_hosts("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])

DEBUG = env_bool("DEBUG", default=not PRODUCTION)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

SITE_URL = (env_url("SITE_URL", "http://127.0.0.1:8000", schemes=("http", "https")) or "").rstrip(
    "/"
)
SITE_NAME = env_str("SITE_NAME", "Hackathon-Plattform")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [SITE_URL])

# The project's own apps (the tests read this list too).
LOCAL_APPS = [
    "accounts",
    "audit",
    "events",
    "notifications",
    "challenges",
    "participants",
    "teams",
    "mentoring",
    "projects",
    "judging",
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    *LOCAL_APPS,
]

# Social login: each provider is switched on by naming it here and giving its
# keys, e.g. SOCIAL_PROVIDERS=github with SOCIAL_GITHUB_CLIENT_ID/_SECRET.
SOCIAL_PROVIDERS = env_list("SOCIAL_PROVIDERS", [])
SOCIALACCOUNT_PROVIDERS: dict[str, dict] = {}
for _provider in SOCIAL_PROVIDERS:
    if not _provider.isidentifier():
        raise ImproperlyConfigured(f"SOCIAL_PROVIDERS has an invalid provider name {_provider!r}.")
    INSTALLED_APPS.append(f"allauth.socialaccount.providers.{_provider}")
    _prefix = f"SOCIAL_{_provider.upper()}_"
    SOCIALACCOUNT_PROVIDERS[_provider] = {
        "APPS": [
            {
                "client_id": env_str(_prefix + "CLIENT_ID"),
                "secret": env_str(_prefix + "SECRET"),
                "settings": {"server_url": env_str(_prefix + "SERVER_URL", "")}
                if _provider == "openid_connect"
                else {},
            }
        ]
    }
    if _provider == "openid_connect":
        SOCIALACCOUNT_PROVIDERS[_provider]["APPS"][0]["provider_id"] = env_str(
            _prefix + "PROVIDER_ID", "oidc"
        )
        SOCIALACCOUNT_PROVIDERS[_provider]["APPS"][0]["name"] = env_str(
            _prefix + "NAME", "OpenID Connect"
        )

MIDDLEWARE = [
    "hackathon.middleware.RequestSizeLimitMiddleware",
    "hackathon.middleware.APIJSONErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "hackathon.middleware.RejectNullCharactersMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "hackathon.urls"
WSGI_APPLICATION = "hackathon.wsgi.application"
ASGI_APPLICATION = "hackathon.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hackathon.context_processors.site",
                "notifications.context_processors.unread_notifications",
                # Last: it replaces Django's CSRF token while a page is cached.
                "hackathon.pagecache.csrf_placeholder",
            ],
        },
    },
]

# Database: SQLite under the project unless DATABASE_URL names another.
DATABASE_URL = env_url(
    "DATABASE_URL",
    f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
    schemes=("sqlite", "postgres", "postgresql", "pgsql"),
)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A dev server and an eager task may write at once; wait instead of failing.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: broker, cache and rate limits. Unset, everything stays in one process.
# Nothing a request needs to succeed lives only in Redis: sessions are in the database,
# and the cache falls back to one per process while Redis is down (hackathon.cache).
REDIS_URL = env_url("REDIS_URL", None, schemes=("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "hackathon.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "hackathon"),
            # A Redis that is gone must cost a request milliseconds, not the OS timeout.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1.0},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Pages for anonymous visitors (PAGE_CACHE), and lists computed from whole tables such as
# topic counts and skill choices (CACHED_LISTS), come from the cache until what they show
# changes: every write bumps the version of what it touches (hackathon.pagecache). Off in
# the tests, whose transactions never commit; the cache's own tests switch it on.
PAGE_CACHE = env_bool("PAGE_CACHE", default=not TESTING)
CACHED_LISTS = env_bool("CACHED_LISTS", default=not TESTING)
# The longest a cached page lives: only a change made while Redis was down goes unseen
# this long (a new version cannot reach Redis then).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300, minimum=1)
# Not cached_db: a log-out while Redis is down could not remove the cached copy, which
# would sign the person in again once Redis is back. One primary-key read per request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
# Argon2id at OWASP's minimum (accounts.hashers); older Argon2 hashes are verified and
# rehashed with it at log-in. Only one hasher per algorithm name: the last one would win.
PASSWORD_HASHERS = [
    "accounts.hashers.OWASPArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if TESTING:
    # Argon2 is slow on purpose; tests create many users.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
SITE_ID = 1

# django-allauth: e-mail is the login.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "ACCOUNT_EMAIL_VERIFICATION",
    "optional" if DEMO else "mandatory",
    ("mandatory", "optional", "none"),
)
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
# No mail to an address without an account ("someone asked to reset a password here"):
# it would let anyone make the site mail any address. Every mail the platform sends is a
# notification of one of its people (accounts.adapter.AccountAdapter.send_mail), except an
# organiser's juror invitation to an address without an account (notify_address).
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupExtraForm"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
# Per IP and per account ("key"); counted in the shared cache so limits hold across processes.
ACCOUNT_RATE_LIMITS = {
    "login": env_str("RATE_LIMIT_LOGIN", "30/m/ip"),
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "10/m/ip,5/5m/key"),
    "signup": env_str("RATE_LIMIT_SIGNUP", "20/m/ip"),
    "reset_password": env_str("RATE_LIMIT_RESET_PASSWORD", "20/m/ip,5/m/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
    "reauthenticate": "10/m/user",
    "confirm_email": "1/3m/key",
}
# Behind N reverse proxies the client IP is the N-th last X-Forwarded-For entry;
# without this every visitor shares the proxy's IP and its per-IP limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0, minimum=0)
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_ONLY = False

# Internationalisation: German first, English second.
LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("German")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English with a 24-hour clock: "6 p.m." ended sentences in "p.m.." (hackathon/formats/en).
FORMAT_MODULE_PATH = ["hackathon.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Berlin"
USE_TZ = True
LANGUAGE_COOKIE_NAME = "language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"

# Static files are collected and served by whitenoise; nothing comes from a CDN.
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
# Fetch pitch-video thumbnails from the video sites (projects.video); off where there is
# no internet: in the tests and the embedded demo.
VIDEO_THUMBNAILS = env_bool("VIDEO_THUMBNAILS", default=not (TESTING or DEMO))
# The largest request body the site takes: a 20 MB CSV import, with room for the form.
MAX_REQUEST_BYTES = 25 * 1024 * 1024
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
_S3_BUCKET = env_str("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if _S3_BUCKET:
    # Any S3-compatible store; credentials come from AWS_* variables read by boto3.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _S3_BUCKET,
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("AWS_S3_REGION_NAME", "") or None,
            "default_acl": None,
            "querystring_auth": True,
        },
    }

# E-mail: SMTP when EMAIL_HOST is set, the console otherwise.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on.")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Celery: eager in one process without Redis, a real broker with it.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "hackathon")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# A request that enqueues work while Redis is down waits at most about a second, then
# goes on: the work is a row that the sweeps below hand to a worker once Redis is back.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
# Every periodic schedule lives here.
CELERY_BEAT_SCHEDULE = {
    # Pending deliveries whose queue message never arrived, and deliveries whose
    # worker died mid-send, go to a worker again.
    "notifications-requeue-stale": {
        "task": "notifications.requeue_stale",
        "schedule": timedelta(seconds=env_int("NOTIFICATION_SWEEP_SECONDS", 60, minimum=1)),
    },
    "notifications-purge-read": {
        "task": "notifications.purge_read",
        "schedule": crontab(hour=3, minute=30),
    },
    "projects-refresh-stale-video-thumbnails": {
        "task": "projects.refresh_stale_video_thumbnails",
        "schedule": crontab(minute="*/15"),
    },
    "projects-deadline-reminders": {
        "task": "projects.send_deadline_reminders",
        "schedule": crontab(minute="*/5"),
    },
    # Assignment runs and outcome notices whose task never arrived go to a worker again.
    "judging-requeue-stale-runs": {
        "task": "judging.requeue_stale_runs",
        "schedule": timedelta(seconds=60),
    },
    "judging-requeue-pending-outcomes": {
        "task": "judging.requeue_pending_outcomes",
        "schedule": timedelta(minutes=10),
    },
    "judging-review-reminders": {
        "task": "judging.send_review_reminders",
        "schedule": crontab(minute="*/5"),
    },
}

# Notification delivery: retries with exponential backoff, then the row is marked failed.
NOTIFICATION_MAX_RETRIES = env_int("NOTIFICATION_MAX_RETRIES", 5, minimum=0)
NOTIFICATION_RETRY_BASE_SECONDS = env_int("NOTIFICATION_RETRY_BASE_SECONDS", 30, minimum=0)
NOTIFICATION_RETENTION_DAYS = env_int("NOTIFICATION_RETENTION_DAYS", 365, minimum=1)
# A pending delivery due this long ago lost its queue message and is enqueued again.
NOTIFICATION_STALE_AFTER_SECONDS = env_int("NOTIFICATION_STALE_AFTER_SECONDS", 300, minimum=0)
# A delivery claimed this long ago without an outcome lost its worker and is sent again
# (at least once: the mail keeps its Message-ID, so a duplicate is recognisable). It must
# be well above the longest a send can take: EMAIL_TIMEOUT per SMTP step.
NOTIFICATION_SENDING_TIMEOUT_SECONDS = env_int(
    "NOTIFICATION_SENDING_TIMEOUT_SECONDS", 600, minimum=0
)
# Account mails (confirmation links, password resets) carry secrets; their rows go this
# long after they were sent.
NOTIFICATION_ACCOUNT_MAIL_RETENTION_DAYS = 7

# REST API
REST_FRAMEWORK = {
    # Token first: a request without valid credentials then gets 401 with
    # "WWW-Authenticate: Token", which tells a script what to send (session-first gives 403).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "hackathon.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env_str("API_THROTTLE_ANON", "120/min"),
        "user": env_str("API_THROTTLE_USER", "600/min"),
    },
    # Anonymous throttling counts per client IP: the same proxy count as allauth, so a
    # client cannot pick a fresh budget by sending its own X-Forwarded-For.
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
    "DEFAULT_RENDERER_CLASSES": [
        # DRF's JSON renderer fails on a lone surrogate; ours escapes it.
        "hackathon.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # Too deep a nesting and lone surrogates are a 400 naming the field, not a 500.
    "DEFAULT_PARSER_CLASSES": [
        "hackathon.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
}
DRF_STANDARDIZED_ERRORS = {
    "ENABLE_IN_DEBUG_FOR_UNHANDLED_EXCEPTIONS": True,
    # Services' DomainErrors become 400s and 409s (hackathon.errors.domain_error_as_api_exception).
    "EXCEPTION_HANDLER_CLASS": "hackathon.errors.ExceptionHandler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": f"{SITE_NAME} API",
    "DESCRIPTION": "Open data and integrations for the open social innovation process.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Requests and responses of one serializer differ (read-only fields, fields left out
    # for some readers): separate components, so each says exactly what it holds.
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        name: f"drf_standardized_errors.openapi_serializers.{name}.choices"
        for name in (
            "ValidationErrorEnum",
            "ClientErrorEnum",
            "ServerErrorEnum",
            "ErrorCode401Enum",
            "ErrorCode403Enum",
            "ErrorCode404Enum",
            "ErrorCode405Enum",
            "ErrorCode406Enum",
            "ErrorCode415Enum",
            "ErrorCode429Enum",
            "ErrorCode500Enum",
        )
    }
    | {
        "PhaseKindEnum": "events.enums.PhaseKind",
        "StateEnum": "challenges.enums.State",
        "EventRoleEnum": "participants.enums.EventRole",
        "TeamStatusEnum": "teams.enums.TeamStatus",
        "JoinRequestStatusEnum": "teams.enums.JoinRequestStatus",
        "MemberRoleEnum": "teams.enums.MemberRole",
        "RoundStatusEnum": "judging.enums.RoundStatus",
        "ReviewStatusEnum": "judging.enums.ReviewStatus",
        "RunStatusEnum": "judging.enums.RunStatus",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
    ],
}

# Content Security Policy: only this site; no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Security
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
