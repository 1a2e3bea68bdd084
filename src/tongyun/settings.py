"""Settings, read from the environment.

TONGYUN_DATA_DIR  where the SQLite file, uploads and reports live (default ./var)
DATABASE_URL      PostgreSQL when set (postgres://user@host:5432/name); SQLite (WAL) otherwise
TONGYUN_DEMO_PASSWORD  password of every demo account created by `tongyun bootstrap`
TONGYUN_DEBUG, TONGYUN_SECRET_KEY, TONGYUN_ALLOWED_HOSTS, TONGYUN_TOKEN_TTL_DAYS
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TONGYUN_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("TONGYUN_DEBUG", "0") == "1"


def _secret_key() -> str:
    """A stable secret per data directory, so sessions survive restarts without configuration."""
    if key := os.environ.get("TONGYUN_SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = os.environ.get("TONGYUN_ALLOWED_HOSTS", "*").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TONGYUN_CSRF_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "django_tables2",
    "ninja",
    "auditlog",
    "tongyun.core",
    "tongyun.parties",
    "tongyun.catalog",
    "tongyun.audit",
    "tongyun.incidents",
    "tongyun.monitoring",
    "tongyun.availability",
    "tongyun.inspections",
    "tongyun.signoffs",
    "tongyun.spares",
    "tongyun.staffing",
    "tongyun.security",
    "tongyun.contracts",
    "tongyun.utilities",
    "tongyun.development",
    "tongyun.dataexchange",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongyun.core.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "tongyun.urls"
WSGI_APPLICATION = "tongyun.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tongyun.core.context_processors.navigation",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"], conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "tongyun.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "parties.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # whitenoise serves from the app folders too (below); an empty root is fine
MEDIA_URL = "media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve straight from the app folders too, so a fresh checkout needs no collectstatic.
WHITENOISE_USE_FINDERS = True

DJANGO_TABLES2_TEMPLATE = "core/table.html"
DJANGO_TABLES2_PAGE_RANGE = 7

AUDITLOG_INCLUDE_ALL_MODELS = False

TONGYUN_TOKEN_TTL_DAYS = int(os.environ.get("TONGYUN_TOKEN_TTL_DAYS", "30"))

# SLA clocks: a clock is "at risk" once this share of it is used (预警阈值).
TONGYUN_SLA_AT_RISK = float(os.environ.get("TONGYUN_SLA_AT_RISK", "0.8"))
# How often the worker sweeps the clocks for at-risk and breached tickets, in seconds.
TONGYUN_SLA_SWEEP_SECONDS = int(os.environ.get("TONGYUN_SLA_SWEEP_SECONDS", "60"))
# Notification channels in use (站内 always); webhook URLs are WeCom/DingTalk-style group robots.
TONGYUN_NOTIFY_CHANNELS = [c for c in os.environ.get("TONGYUN_NOTIFY_CHANNELS", "in_app,email").split(",") if c]
TONGYUN_WEBHOOK_URL = os.environ.get("TONGYUN_WEBHOOK_URL", "")
TONGYUN_WEBHOOK_STYLE = os.environ.get("TONGYUN_WEBHOOK_STYLE", "wecom")  # wecom | dingtalk
TONGYUN_SMS_GATEWAY_URL = os.environ.get("TONGYUN_SMS_GATEWAY_URL", "")
# Built-in checks (HTTP/TCP/ICMP): a check is down after this many consecutive failures; the worker runs a
# round every TONGYUN_CHECK_ROUND_SECONDS with at most TONGYUN_CHECK_CONCURRENCY probes in flight and at most
# TONGYUN_CHECK_BATCH checks per round (the most overdue first, which spreads the checks over the interval).
TONGYUN_CHECK_FAILURES = int(os.environ.get("TONGYUN_CHECK_FAILURES", "2"))
TONGYUN_CHECK_ROUND_SECONDS = int(os.environ.get("TONGYUN_CHECK_ROUND_SECONDS", "30"))
TONGYUN_CHECK_CONCURRENCY = int(os.environ.get("TONGYUN_CHECK_CONCURRENCY", "500"))
TONGYUN_CHECK_BATCH = int(os.environ.get("TONGYUN_CHECK_BATCH", "2500"))

# Background work: django-tasks with its database backend — no extra server on the embedded default;
# run `tongyun db_worker` (scripts/start.sh does). Several workers may share one PostgreSQL.
TASKS = {"default": {"BACKEND": os.environ.get("TONGYUN_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

EMAIL_BACKEND = os.environ.get("TONGYUN_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("TONGYUN_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("TONGYUN_EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("TONGYUN_EMAIL_FROM", "tongyun@localhost")
TONGYUN_TENDER_FILE = os.environ.get("TONGYUN_TENDER_FILE", "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TONGYUN_LOG_LEVEL", "INFO")},
}
