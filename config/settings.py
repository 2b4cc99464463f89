"""Settings for the grant-workflow engine: every value from the environment, with
embedded defaults that need no server (SQLite, a filesystem broker, mail to a folder)."""

from pathlib import Path

import environ

from .secret_key import secret_key

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=False)
HTTPS = env.bool("HTTPS", default=False)  # behind a TLS proxy: the production switch
SECRET_KEY = secret_key(env.str("SECRET_KEY", default=""), var_dir=VAR_DIR, production=HTTPS and not DEBUG)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "config.apps.StaticFiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "viewflow",
    "viewflow.workflow",
    "accounts",
    "grants",
    "workflows",
    "notifications",
    "operations",
]
# Our own pages render the queues; viewflow's frontend middleware is not wanted.
VIEWFLOW = {"AUTOREGISTER": False}

MIDDLEWARE = [
    "operations.middleware.RequestIdMiddleware",  # first: its id and timing cover the whole request
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionSecurityMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.roles",
            ],
            "builtins": ["grants.templatetags.money"],
        },
    }
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions serialise writers, so read-modify-write under
    # transaction.atomic() cannot interleave (SQLite has no SELECT ... FOR UPDATE).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-db.sqlite3")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "accounts.backends.FundRoleBackend",
]
# BSI IT-Grundschutz (ORP.4): at least 12 characters; common passwords and ones close to
# the user's own name or address refused.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.validators.NotTheFundsNameValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# Accounts (django-allauth): e-mail login; failed sign-ins are throttled per address and
# per account, and the right password is refused too until the lock ends.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
LOGIN_FAILURES_PER_ACCOUNT = env.int("LOGIN_FAILURES_PER_ACCOUNT", default=5)
LOGIN_LOCK_SECONDS = env.int("LOGIN_LOCK_SECONDS", default=15 * 60)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{env.int('LOGIN_FAILURES_PER_ADDRESS', default=20)}/{LOGIN_LOCK_SECONDS}s/ip,"
    f"{LOGIN_FAILURES_PER_ACCOUNT}/{LOGIN_LOCK_SECONDS}s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Verfügungsfonds")

LANGUAGE_CODE = "de"
LANGUAGES = [("de", "Deutsch"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
# Where files go for the public archive when their retention period ends (grants.services.retention).
ARCHIVE_ROOT = Path(env.str("ARCHIVE_ROOT", default=str(VAR_DIR / "archive")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Uploads (PDF, JPEG, PNG) larger than this are refused with a message at the field.
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

# The written procedure: members who have not answered are reminded this many hours before the deadline.
CIRCULAR_REMINDER_HOURS = env.int("CIRCULAR_REMINDER_HOURS", default=24)
# Closing a vote, approving minutes and starting a written procedure ask for the second factor
# again when the last one is older than this.
SECOND_FACTOR_FRESH_SECONDS = env.int("SECOND_FACTOR_FRESH_SECONDS", default=15 * 60)

# Cache (sign-in throttling): Redis shared by every process when REDIS_URL is set, else files.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env.str("REDIS_URL")}
    if env.str("REDIS_URL", default="")
    else {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": str(VAR_DIR / "cache")}
}

# E-mail: SMTP when EMAIL_URL is set (smtp://user:pass@host:port), else files in a folder.
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="verfuegungsfonds@localhost")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)  # a silent server must not block a worker
# The outbox (notifications/): a deferred e-mail is tried again after RETRY_BASE seconds, doubling
# up to RETRY_CAP (8 attempts span about 1.5 hours of outage); a send is cut off after the task's
# time limits, and only a claim older than STALE_AFTER (far beyond them) is taken back by the sweep.
NOTIFICATION_RETRY_BASE = env.int("NOTIFICATION_RETRY_BASE", default=60)
NOTIFICATION_RETRY_CAP = env.int("NOTIFICATION_RETRY_CAP", default=30 * 60)
NOTIFICATION_TASK_SOFT_TIME_LIMIT = env.int("NOTIFICATION_TASK_SOFT_TIME_LIMIT", default=EMAIL_TIMEOUT * 3)
NOTIFICATION_TASK_TIME_LIMIT = env.int("NOTIFICATION_TASK_TIME_LIMIT", default=EMAIL_TIMEOUT * 4)
NOTIFICATION_STALE_AFTER = env.int("NOTIFICATION_STALE_AFTER", default=15 * 60)
NOTIFICATION_RESEND_AFTER = env.int("NOTIFICATION_RESEND_AFTER", default=5 * 60)
# A process waiting for its decision letter longer than this gets its letter task queued again.
LETTER_RESEND_AFTER = env.int("LETTER_RESEND_AFTER", default=5 * 60)

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport (no server).
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    # Unacknowledged messages of a killed worker come back after the visibility timeout; it must
    # exceed every task's time limit and every retry countdown. Production Redis needs AOF
    # (appendonly yes, appendfsync everysec), or a restart loses the queued messages (README).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env.int("REDIS_VISIBILITY_TIMEOUT", default=3600)}
else:  # demo only: kombu deletes the file on fetch, so a killed worker loses its message (the sweeps recover it)
    CELERY_BROKER_URL = "filesystem://"
    _queue = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "processed_folder": str(VAR_DIR / "broker-processed"),
        "store_processed": False,
        "control_folder": str(VAR_DIR / "broker-control"),
    }
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# No task may block a worker for ever; rendering letters grows a process by ~0.25 MB a letter, so a
# pool child is replaced after MAX_MEMORY_PER_CHILD KiB (and after MAX_TASKS_PER_CHILD tasks).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=240)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=300)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=300_000)
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=500)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "fire-workflow-timers": {"task": "workflows.tasks.fire_workflow_timers", "schedule": 60.0},
    "resend-pending-notifications": {
        "task": "notifications.tasks.requeue_pending_notifications",
        "schedule": 300.0,
    },
    "retention": {"task": "grants.tasks.retention_run", "schedule": 24 * 60 * 60.0},
    "circular-procedures": {"task": "workflows.tasks.circular_sweep", "schedule": 300.0},
    "meeting-invitations": {"task": "grants.tasks.meeting_invitations", "schedule": 60 * 60.0},
    "lost-letters": {"task": "workflows.tasks.requeue_waiting_letters", "schedule": 300.0},
    "deadlines": {"task": "grants.tasks.deadline_sweep", "schedule": 60 * 60.0},
    "digests": {"task": "notifications.tasks.send_digests", "schedule": 60 * 60.0},
    "repayments-overdue": {"task": "grants.tasks.repayments_overdue", "schedule": 24 * 60 * 60.0},
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
if HTTPS and not DEBUG:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    # The load balancer's health checks come over plain HTTP from inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/"]

# Sessions: a lifetime that ends however active the user is, and an idle timeout that is
# shorter for the office and the steering group than for applicants (accounts.middleware).
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 60 * 60)
SESSION_IDLE_TIMEOUT_STAFF = env.int("SESSION_IDLE_TIMEOUT_STAFF", default=30 * 60)
SESSION_IDLE_TIMEOUT_APPLICANT = env.int("SESSION_IDLE_TIMEOUT_APPLICANT", default=2 * 60 * 60)

# Content-Security-Policy: everything from this installation, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    # WeasyPrint warns about every font subset it makes with fontTools.
    "loggers": {"weasyprint": {"level": "ERROR"}, "fontTools": {"level": "ERROR"}},
}

for _folder in (VAR_DIR, MEDIA_ROOT, STATIC_ROOT, VAR_DIR / "mail", VAR_DIR / "broker"):
    Path(_folder).mkdir(parents=True, exist_ok=True)


# --- Operations (operations/, deploy/): health, metrics, logs, backups -------------------------
# Readiness (/health/ready/): a worker heartbeat every HEALTH_HEARTBEAT_INTERVAL seconds; the
# worker or beat counts as down when its last heartbeat is older than its MAX_AGE.
HEALTH_HEARTBEAT_INTERVAL = env.int("HEALTH_HEARTBEAT_INTERVAL", default=30)
HEALTH_WORKER_MAX_AGE = env.int("HEALTH_WORKER_MAX_AGE", default=120)
HEALTH_BEAT_MAX_AGE = env.int("HEALTH_BEAT_MAX_AGE", default=180)
HEALTH_CHECK_TIMEOUT = env.int("HEALTH_CHECK_TIMEOUT", default=3)  # seconds to reach the broker
CELERY_BEAT_SCHEDULER = "operations.heartbeats:HeartbeatScheduler"
# /metrics: from these networks, or from anywhere with "Authorization: Bearer <METRICS_TOKEN>".
METRICS_ALLOWED_NETWORKS = env.list("METRICS_ALLOWED_NETWORKS", default=["127.0.0.0/8", "::1/128"])
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# Proxies whose X-Forwarded-For names the client (the metrics' address check believes them).
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=[])
# Sign-in throttling per address counts the client the proxy names, not the proxy itself.
ALLAUTH_TRUSTED_PROXY_COUNT = 1 if TRUSTED_PROXIES else 0
OFFICE_TASK_OVERDUE_DAYS = env.int("OFFICE_TASK_OVERDUE_DAYS", default=14)
# Logs: "text" or "json" (one object a line); either way with the request id and without
# e-mail addresses or IBANs.
LOG_FORMAT = "json" if env.str("LOG_FORMAT", default="text") == "json" else "text"
LOGGING["filters"] = {**LOGGING.get("filters", {}), "request_id": {"()": "operations.logs.RequestIdFilter"}}
LOGGING["formatters"] = {
    **LOGGING.get("formatters", {}),
    "text": {
        "()": "operations.logs.RedactingFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
    },
    "json": {
        "()": "operations.logs.RedactingJsonFormatter",
        "format": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
        "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
    },
}
LOGGING["handlers"]["console"].update(formatter=LOG_FORMAT, filters=["request_id"])
# Celery keeps Django's handler: worker and beat lines carry the request id and are redacted too.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Backups (manage.py backup / restore): where archives go and how many are kept by --prune.
BACKUP_DIR = Path(env.str("BACKUP_DIR", default=str(VAR_DIR / "backups")))
BACKUP_KEEP_DAILY = env.int("BACKUP_KEEP_DAILY", default=14)
BACKUP_KEEP_MONTHLY = env.int("BACKUP_KEEP_MONTHLY", default=12)
CODE_VERSION = env.str("CODE_VERSION", default="")  # set by the deployment; else read from git
# --- end of operations ---------------------------------------------------------------------------
