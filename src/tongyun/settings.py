"""Settings, read from the environment.

TONGYUN_DATA_DIR  where the SQLite file, uploads and reports live (default ./var)
DATABASE_URL      PostgreSQL when set (postgres://user@host:5432/name); SQLite (WAL) otherwise
TONGYUN_DEMO_PASSWORD  password of every demo account created by `tongyun bootstrap`
TONGYUN_DEBUG, TONGYUN_SECRET_KEY, TONGYUN_ALLOWED_HOSTS, TONGYUN_TOKEN_TTL_DAYS
TONGYUN_PRODUCTION=1   production: HTTPS only (HSTS, secure cookies, redirect), TONGYUN_ALLOWED_HOSTS and
                       TONGYUN_CSRF_ORIGINS required (docs/deployment.md)
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
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
PRODUCTION = os.environ.get("TONGYUN_PRODUCTION", "0") == "1"


def _listed(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# Demo and development answer any host name; production names its own (Host header attacks, DNS rebinding).
ALLOWED_HOSTS = _listed("TONGYUN_ALLOWED_HOSTS") or (["*"] if not PRODUCTION else [])
CSRF_TRUSTED_ORIGINS = _listed("TONGYUN_CSRF_ORIGINS")
if PRODUCTION:
    if DEBUG:
        raise ImproperlyConfigured("TONGYUN_DEBUG=1 is not allowed with TONGYUN_PRODUCTION=1")
    if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
        raise ImproperlyConfigured("TONGYUN_PRODUCTION=1 requires TONGYUN_ALLOWED_HOSTS, e.g. ops.shunyi.gov.cn "
                                   "(comma-separated host names, no '*')")
    if not CSRF_TRUSTED_ORIGINS or not all(o.startswith("https://") for o in CSRF_TRUSTED_ORIGINS):
        raise ImproperlyConfigured("TONGYUN_PRODUCTION=1 requires TONGYUN_CSRF_ORIGINS, e.g. "
                                   "https://ops.shunyi.gov.cn (comma-separated https:// origins)")

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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
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
    "tongyun.handover",
    "tongyun.development",
    "tongyun.dataexchange",
    "tongyun.reports",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # a bearer-token API call goes through TONGYUN_TOKEN_REQUEST_MIDDLEWARE (below) instead of the rest
    "tongyun.core.middleware.TokenRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tongyun.core.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tongyun.core.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tongyun.core.middleware.UploadLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after authentication: idle timeout, forced password change and the second factor gate every page
    "tongyun.parties.middleware.AccountGateMiddleware",
    "tongyun.audit.middleware.AccessTrailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tongyun.audit.middleware.AuditActorMiddleware",
    # last: turns a lockout flagged by the authentication backend into the lockout answer
    "axes.middleware.AxesMiddleware",
]
# A bearer-token API call (tongyun.core.middleware.TokenRequestMiddleware): the middleware of MIDDLEWARE, in
# its order, that write the answer's headers (security, CSP, language, length, frame options), refuse a
# request (HTTPS redirect, upload limit, lockout) or record it (access trail, audit actor) — not those only a
# browser needs (static files, session, CSRF, authentication, second factor, messages, account gate).
TONGYUN_TOKEN_REQUEST_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tongyun.core.middleware.ContentSecurityPolicyMiddleware",
    "tongyun.core.middleware.ChineseByDefaultLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "tongyun.core.middleware.UploadLimitMiddleware",
    "tongyun.audit.middleware.AccessTrailMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tongyun.audit.middleware.AuditActorMiddleware",
    "axes.middleware.AxesMiddleware",
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
            # Django's SQLite backend, its writers queued on a file lock and its checkpoints outside it
            # (see tongyun/core/sqlite/base.py)
            "ENGINE": "tongyun.core.sqlite",
            "NAME": DATA_DIR / "tongyun.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE avoids
                # "database is locked" upgrades from read to write inside transactions.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
    # Each worker keeps its connection between requests (issue #16): a new SQLite connection runs the PRAGMAs
    # and re-reads the whole schema (~200 tables) on its first query, ~5 ms of CPU per request — more than a
    # list request's own work. Gunicorn's sync workers serve one request at a time per process, so a kept
    # connection is never shared, and WAL readers see every commit at their next statement.
    DATABASES["default"]["CONN_MAX_AGE"] = 600
# a kept connection that the server closed (a PostgreSQL restart) is replaced before a request uses it
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "parties.User"
AUTH_PASSWORD_VALIDATORS = [
    # GB/T 22239-2019 level 3 (8.1.4.1 身份鉴别): length, complexity, not the username, not common, not reused
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "tongyun.parties.passwords.CharacterClassesValidator", "OPTIONS": {"classes": 3}},
    {"NAME": "tongyun.parties.passwords.NotTheUsernameValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "tongyun.parties.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
# django-axes checks every login (form and token endpoint) before the password is tried.
AUTHENTICATION_BACKENDS = [
    "tongyun.parties.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login protection (django-axes): after TONGYUN_LOGIN_FAILURE_LIMIT failures for one account, or from one
# client address, further logins are refused for TONGYUN_LOGIN_LOCKOUT_MINUTES (the security administrator
# can lift a lockout earlier). Failures, lockouts and logins are in the audit trail (tongyun.audit).
AXES_FAILURE_LIMIT = int(os.environ.get("TONGYUN_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("TONGYUN_LOGIN_LOCKOUT_MINUTES", "30")) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "tongyun.parties.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # logins are recorded in tongyun's own audit trail
AXES_VERBOSE = False
# Second factor (TOTP, django-otp): required for the roles below, and for everyone when
# TONGYUN_OTP_FOR_EVERYONE=1 (the security administrator can also switch that on in the policy page).
# TONGYUN_OTP_ENFORCED=0 switches the requirement off (the test suite does, see src/tongyun/conftest.py).
OTP_TOTP_ISSUER = "统运 tongyun"
TONGYUN_OTP_ENFORCED = os.environ.get("TONGYUN_OTP_ENFORCED", "1") == "1"
TONGYUN_OTP_FOR_EVERYONE = os.environ.get("TONGYUN_OTP_FOR_EVERYONE", "0") == "1"
# Passwords expire after this many days (0: never); sessions end after this many idle minutes.
TONGYUN_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("TONGYUN_PASSWORD_MAX_AGE_DAYS", "90"))
TONGYUN_SESSION_IDLE_MINUTES = int(os.environ.get("TONGYUN_SESSION_IDLE_MINUTES", "30"))
# A session lasts at most a working day, and ends with the browser.
SESSION_COOKIE_AGE = int(os.environ.get("TONGYUN_SESSION_MAX_HOURS", "10")) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
# The audit trail is kept at least this long (GB/T 22239 level 3: at least six months).
TONGYUN_AUDIT_RETENTION_DAYS = max(183, int(os.environ.get("TONGYUN_AUDIT_RETENTION_DAYS", "365")))
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
# How often the worker recomputes the district overview's expensive figures, in seconds (tongyun.core.snapshots).
TONGYUN_OVERVIEW_REFRESH_SECONDS = int(os.environ.get("TONGYUN_OVERVIEW_REFRESH_SECONDS", "300"))
# Notification channels in use (站内 always); webhook URLs are WeCom/DingTalk-style group robots.
TONGYUN_NOTIFY_CHANNELS = [c for c in os.environ.get("TONGYUN_NOTIFY_CHANNELS", "in_app,email").split(",") if c]
TONGYUN_WEBHOOK_URL = os.environ.get("TONGYUN_WEBHOOK_URL", "")
TONGYUN_WEBHOOK_STYLE = os.environ.get("TONGYUN_WEBHOOK_STYLE", "wecom")  # wecom | dingtalk
TONGYUN_SMS_GATEWAY_URL = os.environ.get("TONGYUN_SMS_GATEWAY_URL", "")
# A notification is tried at most this many times (transient errors); a permanent error gives it up at once.
TONGYUN_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("TONGYUN_NOTIFY_MAX_ATTEMPTS", "5"))
# A delivery claimed longer ago than this (its worker was killed mid-send) is taken over by another worker.
TONGYUN_NOTIFY_CLAIM_TIMEOUT_SECONDS = int(os.environ.get("TONGYUN_NOTIFY_CLAIM_TIMEOUT_SECONDS", "300"))
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

# Secrets that reach a URL (an alert source's ?token=, an iCalendar feed's path) are masked in every log
# line (tongyun.core.logredact; gunicorn's access log uses its logger class, see deploy/gunicorn.conf.py).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "tongyun.core.logredact.RedactSecretsFilter"},
                "client_error_without_traceback": {"()": "tongyun.core.logfilters.ClientErrorWithoutTraceback"}},
    "formatters": {"server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                              "style": "{"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
                 "server": {"class": "logging.StreamHandler", "filters": ["redact_secrets"], "formatter": "server"}},
    "loggers": {"django.server": {"handlers": ["server"], "level": "INFO", "propagate": False},
                "django.request": {"filters": ["client_error_without_traceback"]},
                # django-axes logs every login at INFO; tongyun's audit trail records them (tongyun.audit)
                "axes": {"level": "WARNING"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TONGYUN_LOG_LEVEL", "INFO")},
}

# ---------------------------------------------------------------- transport, headers, limits

# Uploads (Excel imports, evidence files) and request bodies: at most TONGYUN_UPLOAD_MAX_MB, refused with a
# message before they are read (tongyun.core.middleware.UploadLimitMiddleware).
TONGYUN_UPLOAD_MAX_BYTES = int(os.environ.get("TONGYUN_UPLOAD_MAX_MB", "10")) * 2**20
DATA_UPLOAD_MAX_MEMORY_SIZE = TONGYUN_UPLOAD_MAX_BYTES  # a large Alertmanager batch is a legitimate body
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 2**20
FILE_UPLOAD_PERMISSIONS = 0o640
# An Excel import larger than this runs in the worker (tongyun.core.imports: stored, queued, the page polls);
# a smaller one at once in the request. 512 KiB ≈ 6,000 device rows.
TONGYUN_IMPORT_INLINE_MAX_BYTES = int(os.environ.get("TONGYUN_IMPORT_INLINE_MAX_KB", "512")) * 1024
# Scripts only from the platform's own files (the pages carry no inline script); see the middleware.
TONGYUN_CONTENT_SECURITY_POLICY = os.environ.get(
    "TONGYUN_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"  # other sites never see the platform's URLs (they can hold ids, feeds)
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True  # no script reads it: forms carry the token, the API docs get it from the page
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    # HTTPS only. TLS ends at the reverse proxy in front of gunicorn (deploy/nginx-tongyun.conf), which says
    # so with X-Forwarded-Proto; gunicorn listens on 127.0.0.1 only, so nobody else can send that header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = os.environ.get("TONGYUN_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = int(os.environ.get("TONGYUN_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("TONGYUN_HSTS_SUBDOMAINS", "1") == "1"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-sessionid"  # __Host-: secure, whole host, no Domain — cannot be planted
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LANGUAGE_COOKIE_SECURE = True
    LANGUAGE_COOKIE_HTTPONLY = True
    LANGUAGE_COOKIE_SAMESITE = "Lax"
# HSTS preload lists hold public domains; a government intranet host cannot be preloaded into browsers.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
