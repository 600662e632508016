"""Settings for Arbeidsmarktmonitor, read from the environment.

Every setting that differs between a laptop demo and production comes from an environment
variable with a documented default (see `.env.example`). The defaults are the safe ones:
DEBUG is off unless set, and without DEBUG a SECRET_KEY and ALLOWED_HOSTS must be given.
"""

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# DEMO_MODE allows `manage.py load_demo` to create the demo users (password "demo").
# `make run` sets it; production never does.
DEMO_MODE = env_bool("DEMO_MODE", False)

# --- i16 security: secret key -------------------------------------------------------------
# Without DEBUG the key must be set, long and not a known default: the settings refuse to load
# otherwise (BIO2 8.24/8.9, docs/security.md).
INSECURE_SECRET_KEYS = {
    "django-insecure-only-for-local-demo-never-in-production",
    "change-me",
    "changeme",
    "secret",
}
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-only-for-local-demo-never-in-production"
    else:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
elif not DEBUG and (
    SECRET_KEY in INSECURE_SECRET_KEYS
    or SECRET_KEY.startswith("django-insecure")
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "SECRET_KEY is a default or too weak: use at least 50 random characters "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
# --- end i16 security: secret key ---------------------------------------------------------

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_filters",
    "simple_history",
    "monitor.apps.AxesConfig",  # i16: django-axes with a Dutch name in the admin
    # i16: two-step sign-in (TOTP and recovery codes) and the Content-Security-Policy.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "monitor",
    "programmes",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # i16: first, so every log line and response of a request carries its id (X-Request-ID).
    "monitor.middleware.RequestIDMiddleware",
    # WhiteNoise; with DEBUG it serves gzip and brotli copies too (monitor/staticfinders.py).
    "monitor.staticfinders.CompressingWhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # After WhiteNoise, which serves static files precompressed and never reaches it; before
    # everything that writes the body. HTML, CSV and JSON only (docs/dashboard.md).
    "monitor.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "monitor.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # i16: who verified a second factor; idle timeout; enrolment or code before anything else;
    # no caching of what a signed-in user sees; audit of downloads and refusals.
    "django_otp.middleware.OTPMiddleware",
    "monitor.middleware.SessionTimeoutMiddleware",
    "monitor.middleware.SecondFactorMiddleware",
    "monitor.middleware.NoStoreMiddleware",
    "monitor.middleware.AuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it sees the outcome of the sign-in.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "monitor.urls"
WSGI_APPLICATION = "monitor.wsgi.application"

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
                "monitor.accounts.security_context",
            ],
            "builtins": ["programmes.templatetags.monitor_format"],
        },
    },
]

# SQLite is the embedded default for the demo; production and CI set DATABASE_URL
# (postgres://user:password@host:5432/name).
# An empty DATABASE_URL counts as unset (`DATABASE_URL= make test` runs on SQLite).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server and the Celery worker of `make run` share the SQLite file: WAL lets
    # readers go on while one writes, a busy timeout waits for a lock instead of failing,
    # and IMMEDIATE transactions take the write lock up front (no deadlock on upgrade).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "reporting:landing"
LOGOUT_REDIRECT_URL = "login"

# Repeated failed sign-ins: after AXES_FAILURE_LIMIT failures the account and address pair is
# locked for AXES_COOLOFF_MINUTES.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_MINUTES", "15")) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# i16: a correct password alone no longer resets the count, or someone who knows the password
# could guess codes forever; monitor.accounts resets it when the whole sign-in succeeded.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# Numbers and money are formatted explicitly (programmes.formatting, the |nl_number and
# |euro filters). Django's automatic grouping would also group ids and years ("light-1.897").
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
# plotly.js for the dashboard charts comes from the installed plotly package (no CDN):
# monitor.staticfinders serves only its plotly.min.js, at vendor/plotly/plotly.min.js.
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "monitor.staticfinders.PlotlyFinder",
]
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
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
MEDIA_URL = "media/"

# History is for reading: reverting a record from the admin's history page would bypass the
# workflow (approved reports, closed periods). Changes go through the application's services.
SIMPLE_HISTORY_REVERT_DISABLED = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail: the console in the demo, SMTP when EMAIL_HOST is set.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "arbeidsmarktmonitor@localhost")
# The address of the site, for links in e-mails (no request there to build them from).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The demo (DEMO_MODE or DEBUG without EMAIL_HOST) writes every mail as a file to
# EMAIL_FILE_PATH (default: sent-mail/ in the checkout) so that it can be read.
if not EMAIL_HOST and (DEMO_MODE or DEBUG):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(BASE_DIR / "sent-mail"))
# Automatic reminders (services.reminders.send_due_reminders): days before the deadline.
REMINDER_DAYS_BEFORE = int(os.environ.get("REMINDER_DAYS_BEFORE", "7"))

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "arbeidsmarktmonitor",
    }
}
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }

# --- Background jobs (Celery) ---
# Report bundles, the clean-up of old bundles and reminders run in Celery workers, never in
# a web request (docs/deploy.md). The broker is Redis when REDIS_URL is set (production, CI);
# otherwise kombu's filesystem transport under var/celery/, so that `make run` needs nothing
# installed. Job state and results live in our database (reports.models.ReportJob): no
# result backend.
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or ""
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "filesystem://"
    _queue = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A job is acknowledged when it is done: a worker that dies mid-bundle leaves it for another.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process is replaced after this many tasks (each part of a bundle is one task:
# a region monitor, or a report), which bounds WeasyPrint's memory; measured peak of a
# rendering process on the national dataset: about 250 MB (docs/reports.md "Bundels").
CELERY_WORKER_MAX_TASKS_PER_CHILD = int(os.environ.get("CELERY_WORKER_MAX_TASKS_PER_CHILD", "20"))
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celery" / "beat-schedule")
CELERY_BEAT_SCHEDULE = {
    # Every night: remove report bundles older than REPORT_BUNDLE_DAYS.
    "verwijder-oude-bundels": {
        "task": "reports.tasks.remove_expired_bundles",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every morning: reminders before a period's deadline (deduplicated by the service).
    "herinneringen": {
        "task": "programmes.tasks.send_due_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
}
# Where finished bundles are kept (shared by all web servers and workers: a shared volume
# when they run on several machines) and for how many days.
REPORT_BUNDLE_ROOT = Path(os.environ.get("REPORT_BUNDLE_ROOT", VAR_DIR / "bundels"))
REPORT_BUNDLE_DAYS = int(os.environ.get("REPORT_BUNDLE_DAYS", "7"))
# --- End of background jobs ---

# Security: strict unless DEBUG. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER.
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if env_bool("BEHIND_TLS_PROXY", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- i16 security: logging and audit ------------------------------------------------------
# The audit trail (BIO2 8.15): one JSON line per security event on the logger "audit", to
# AUDIT_LOG_FILE when set, else to stdout; and a row in monitor.AuditEvent (docs/security.md).
AUDIT_LOG_FILE = os.environ.get("AUDIT_LOG_FILE", "")
# The client address comes from REMOTE_ADDR unless a trusted proxy sets this header
# (for example X-Forwarded-For, read as its first address). Never set it without a proxy.
AUDIT_CLIENT_IP_HEADER = os.environ.get("AUDIT_CLIENT_IP_HEADER", "")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"audit_json": {"()": "monitor.audit.JSONFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "audit": (
            {
                "class": "logging.handlers.WatchedFileHandler",
                "filename": AUDIT_LOG_FILE,
                "formatter": "audit_json",
            }
            if AUDIT_LOG_FILE
            else {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "audit_json",
            }
        ),
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "audit": {"handlers": ["audit"], "level": "INFO", "propagate": False},
    },
}
# --- end i16 security: logging and audit --------------------------------------------------

# --- i16 security: sign-in, sessions, MFA, CSP ---------------------------------------------
# Sessions: signed out after SESSION_IDLE_TIMEOUT_MINUTES without activity (a warning two
# minutes before, with a "Blijf aangemeld" button) and at the latest after SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = min(int(os.environ.get("SESSION_MAX_HOURS", "12")), 12) * 60 * 60
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Two-step sign-in (django-otp: TOTP app plus recovery codes). Who must enrol: members of
# these role groups ("*" = every account), and staff and superusers while
# MFA_REQUIRED_FOR_STAFF. Only when DEMO_MODE is off; the demo can still enrol from the menu.
# An organisation that signs in through its own SSO with MFA may set MFA_REQUIRED_ROLES="".
MFA_REQUIRED_ROLES = env_list("MFA_REQUIRED_ROLES", "*")
MFA_REQUIRED_FOR_STAFF = env_bool("MFA_REQUIRED_FOR_STAFF", True)
OTP_TOTP_ISSUER = "Arbeidsmarktmonitor"
OTP_STATIC_THROTTLE_FACTOR = 1
RECOVERY_CODE_COUNT = 10

# Invitations and password resets: the one-time link is valid this long.
PASSWORD_RESET_TIMEOUT = int(os.environ.get("INVITATION_VALID_HOURS", "72")) * 60 * 60

# Content-Security-Policy (django-csp 4): no inline script or style; everything from our own
# static files. CSP_REPORT_ONLY=true sends the same policy as report-only (to try it out).
_CSP_DIRECTIVES = {
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
}
if os.environ.get("CSP_REPORT_URI"):
    _CSP_DIRECTIVES["report-uri"] = [os.environ["CSP_REPORT_URI"]]
if env_bool("CSP_REPORT_ONLY", False):
    CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": _CSP_DIRECTIVES}
else:
    CONTENT_SECURITY_POLICY = {"DIRECTIVES": _CSP_DIRECTIVES}
# --- end i16 security: sign-in, sessions, MFA, CSP -----------------------------------------
