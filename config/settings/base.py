"""Settings shared by every environment. Everything that differs between machines comes from the
environment (12-factor); see `.env.example` for the full list."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("NETWEAVE_DATA_DIR", BASE_DIR / "data"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A development key is only acceptable when DEBUG is on; production.py refuses to start without one.
SECRET_KEY = os.environ.get("SECRET_KEY") or "insecure-development-key-change-me-in-production"
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
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
    "allauth",
    "allauth.account",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "django_countries",
    "netweave.accounts",
    "netweave.networks",
    "netweave.people",
    "netweave.ties",
    "netweave.surveys",
    "netweave.weaving",
    "netweave.library",
    "netweave.field",
    "netweave.outreach",
    "netweave.lib",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "netweave" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "netweave.lib.context_processors.site",
            ],
        },
    }
]

DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'netweave.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the task worker writes; the busy timeout rides out the
    # short write locks instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# django-allauth: email is the identity; sign in with a password or with a code sent by email.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_ADAPTER = "netweave.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[NetWeave] "
LOGIN_REDIRECT_URL = "/me/"
LOGIN_URL = "/accounts/login/"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "netweave" / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "netweave" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

# Mail: SMTP when EMAIL_HOST is set, otherwise the console (the demo prints sign-in codes there).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 30
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "NetWeave <netweave@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Uploads: a member import of 100,000 realistic profiles is ~55 MB of CSV.
DATA_UPLOAD_MAX_MEMORY_SIZE = 100 * 1000 * 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
NETWEAVE_IMPORT_MAX_BYTES = int(os.environ.get("NETWEAVE_IMPORT_MAX_BYTES", 100 * 1000 * 1000))
NETWEAVE_SITE_NAME = os.environ.get("NETWEAVE_SITE_NAME", "NetWeave")
NETWEAVE_INVITATION_DAYS = 30
# Weaving: how long both people have to answer an introduction, when the follow-up asks whether
# they worked together, and how long a declined pair is not suggested again.
NETWEAVE_INTRODUCTION_ANSWER_DAYS = 21
NETWEAVE_INTRODUCTION_FOLLOW_UP_DAYS = 42
NETWEAVE_RECOMMENDATIONS_PER_MEMBER = 5
# Members who joined this recently count as newcomers on the weaving board.
NETWEAVE_NEWCOMER_DAYS = 90
# Suggestions older than this are recomputed in the background when someone opens them.
NETWEAVE_RECOMMENDATIONS_MAX_AGE_DAYS = 7
# Compare profiles by sentence embeddings (needs `pip install "netweave[semantic]"`; about 40
# profiles a second on 2 CPUs, so for networks of a few thousand members at most).
NETWEAVE_SEMANTIC_MATCHING = os.environ.get("NETWEAVE_SEMANTIC_MATCHING", "") in (
    "1",
    "true",
    "yes",
)

# The resource center: uploads (size and types), the link checker and review dates.
NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES = int(
    os.environ.get("NETWEAVE_LIBRARY_MAX_UPLOAD_BYTES", 25 * 1000 * 1000)
)
NETWEAVE_LIBRARY_UPLOAD_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".ppt": "application/vnd.ms-powerpoint",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".xls": "application/vnd.ms-excel",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".odp": "application/vnd.oasis.opendocument.presentation",
    ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".csv": "text/csv",
    ".txt": "text/plain",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}
NETWEAVE_LIBRARY_REVIEW_MONTHS = 12  # a new resource's review-by date, from its publication
NETWEAVE_LINK_CHECK_DAYS = 30  # how often each link is checked again
# Feeds: what a fetch may take, and whether it may reach private or loopback addresses (tests
# and intranet feeds; never on a public server).
NETWEAVE_FEED_TIMEOUT_SECONDS = 20
NETWEAVE_FEED_MAX_BYTES = 5 * 1000 * 1000
NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES = env_bool("NETWEAVE_FEED_ALLOW_PRIVATE_ADDRESSES", False)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads it to send X-CSRFToken
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
NETWEAVE_BASE_URL = os.environ.get("NETWEAVE_BASE_URL", "http://127.0.0.1:8000")

# Newsletter delivery (netweave/outreach/delivery.py): how long a worker holds the deliveries it
# claimed before another may take them over, and how many SMTP connections one sender keeps open.
NETWEAVE_DELIVERY_LEASE_SECONDS = int(os.environ.get("NETWEAVE_DELIVERY_LEASE_SECONDS", "120"))
NETWEAVE_DELIVERY_CONNECTIONS = int(os.environ.get("NETWEAVE_DELIVERY_CONNECTIONS", "8"))
