"""Settings for the remote-learning service.

One file, read from the environment. With nothing set, it runs for development on SQLite
under var/ and a Celery broker that needs no server. With DATABASE_URL and REDIS_URL set it
uses PostgreSQL and Redis. With DJANGO_DEBUG off it refuses to start without a secret key
and allowed hosts, and turns on every transport-security setting.
"""

from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from remote_learning.env import env_bool, env_int, env_list, env_required, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("DJANGO_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", default=True)

if DEBUG:
    # Development only: a fixed key is harmless because DEBUG is never on in production.
    SECRET_KEY = env_str(
        "DJANGO_SECRET_KEY", "development-only-key-not-for-production-use-0123456789"
    )
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
else:
    SECRET_KEY = env_required("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("The environment variable DJANGO_ALLOWED_HOSTS must be set.")

CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

SCHOOL_NAME = env_str("SCHOOL_NAME", "Remote Learning")

# The site's own address, for the links in emails (read away from any request). Production
# must set an https address: the deployment check (core.E001) fails without one.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

# Governors' figures show any count below this as "fewer than 3" (policy section 3.7).
SMALL_NUMBER_THRESHOLD = 3

# Policy section 6: a newly approved version is next due for review this many months later.
POLICY_REVIEW_INTERVAL_MONTHS = 12

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "guardian",
    "django_htmx",
    "bootstrap",
    # Our apps, lowest layer first (see DESIGN.md and the import-linter contract).
    "core",
    "remote_learning",
    "accounts",
    "schools",
    "dataprotection",
    "declarations",
    "cases",
    "contacts",
    "safeguarding",
    "governance",
    "dpo",
    "itsupport",
    "oversight",
    "setup",
    "families",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestIdMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SessionLifetimeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Carers' accounts reach the carers' portal alone, and staff never reach it.
    "families.middleware.FamilyBoundaryMiddleware",
    "accounts.middleware.RequireMfaMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # After sign-in and the second factor: staff without a current device declaration.
    "declarations.middleware.DeviceDeclarationMiddleware",
]

ROOT_URLCONF = "remote_learning.urls"
WSGI_APPLICATION = "remote_learning.wsgi.application"
ASGI_APPLICATION = "remote_learning.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "remote_learning.context_processors.site",
            ],
        },
    },
]

FORM_RENDERER = "core.forms.SchoolFormRenderer"

# --- Database -------------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {"init_command": "PRAGMA foreign_keys=ON;", "timeout": 20},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and Celery -----------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "rl"),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
        "max_retries": 1,
        "visibility_timeout": 3600,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # kombu's filesystem transport: a broker that needs no server, for development.
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Broadcasts (worker control): otherwise kombu writes them to ./control.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }

# A dead broker must never hang a web request: connect quickly, retry once, then give up and
# leave the work to the database-backed record the caller wrote in the same transaction.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = "Europe/London"
CELERY_ENABLE_UTC = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "clear-expired-sessions": {
        "task": "accounts.tasks.clear_expired_sessions",
        "schedule": crontab(hour=2, minute=15),
    },
    # Flags for overdue reviews, time limits and missing agreements: before school starts and
    # again at the end of the school day, Europe/London (CELERY_TIMEZONE).
    "cases-check-cases": {
        "task": "cases.tasks.check_cases",
        "schedule": crontab(hour="7,16", minute=0, day_of_week="mon-fri"),
    },
    # Every email (safeguarding notifications, breach emails, policy reviews, messages to
    # families): send any still due, whose nudge after commit was lost to a broker outage or
    # whose last try failed.
    "core-sweep-outboxes": {
        "task": "core.sweep_outboxes",
        "schedule": crontab(minute="*"),
    },
    # Safeguarding concerns of every urgency: chase unacknowledged ones (each school's limits).
    "safeguarding-check-unacknowledged": {
        "task": "safeguarding.tasks.check_unacknowledged",
        "schedule": crontab(minute="*/5"),
    },
    # Contact with families (section 3.2), after the end of the school day, Europe/London:
    # missed daily contacts and families not responding; and the weekly wellbeing check,
    # whose rule acts only on the last school day of each school's week.
    "contacts-check-daily-contacts": {
        "task": "contacts.tasks.check_daily_contacts",
        "schedule": crontab(hour=16, minute=30, day_of_week="mon-fri"),
    },
    "contacts-check-weekly-wellbeing": {
        "task": "contacts.tasks.check_weekly_wellbeing",
        "schedule": crontab(hour=16, minute=30, day_of_week="mon-fri"),
    },
    # The DSL team's extra calls (section 3.2): days with fewer calls than decided.
    "contacts-check-extra-calls": {
        "task": "contacts.tasks.check_extra_calls",
        "schedule": crontab(hour=16, minute=30, day_of_week="mon-fri"),
    },
    # Longer absences (section 3.2): social workers not yet informed, before school.
    "safeguarding-check-long-absences": {
        "task": "safeguarding.check_long_absences",
        "schedule": crontab(hour=7, minute=30),
    },
    # Pre-recorded lessons planned for today become today's provision (Appendix 1), before
    # school, Europe/London.
    "safeguarding-record-prerecorded-provision": {
        "task": "safeguarding.record_prerecorded_provision",
        "schedule": crontab(hour=7, minute=40),
    },
    # Actions on concerns past their due date: flagged to who is to do them and the site's
    # DSL team, before school.
    "safeguarding-check-overdue-actions": {
        "task": "safeguarding.check_overdue_actions",
        "schedule": crontab(hour=7, minute=35),
    },
    # Referrals with no response from the agency past the date one was awaited by (working
    # days): flagged to the site's DSL team, before school.
    "safeguarding-check-overdue-referrals": {
        "task": "safeguarding.check_overdue_referrals",
        "schedule": crontab(hour=7, minute=37),
    },
    # Leavers' child-protection files (KCSIE): a transfer flag to the DSL team, due 5 school
    # days after the last day, before school.
    "safeguarding-check-transfers-due": {
        "task": "safeguarding.check_transfers_due",
        "schedule": crontab(hour=7, minute=39),
    },
    # The school calendar (issue: honest limits): a notice for the headteacher and
    # administrators when fewer than six school weeks remain, before school, Europe/London.
    "schools-check-calendar": {
        "task": "schools.tasks.check_calendar_task",
        "schedule": crontab(hour=6, minute=50),
    },
    # MIS imports whose task was lost (broker down at upload) or whose worker died.
    "mis-imports-sweep": {
        "task": "schools.tasks.mis_imports_sweep_task",
        "schedule": crontab(minute="*/10"),
    },
    # Tamper evidence for the access audit (section 5): seal new events every 15 minutes,
    # and recompute every seal at night.
    "dataprotection-seal-access-events": {
        "task": "dataprotection.tasks.seal_access_events",
        "schedule": crontab(minute="*/15"),
    },
    "dataprotection-verify-audit-chain": {
        "task": "dataprotection.tasks.verify_audit_chain",
        "schedule": crontab(hour=3, minute=30),
    },
    # Printed safeguarding chronologies: delete expired ones, send again any whose task was lost.
    "safeguarding-chronology-prints-sweep": {
        "task": "safeguarding.sweep_chronology_prints",
        "schedule": crontab(minute="*/10"),
    },
    # Oversight reports: delete expired ones, send again any whose task was lost.
    "oversight-reports-sweep": {
        "task": "oversight.tasks.oversight_reports_sweep_task",
        "schedule": crontab(minute="*/10"),
    },
    # Policy review (section 6): flag policies due for review within 30 days or overdue, and
    # email the headteacher(s) and chair once, before school, Europe/London.
    "governance-check-policy-reviews": {
        "task": "governance.tasks.check_policy_reviews",
        "schedule": crontab(hour=7, minute=10),
    },
    # IT support (section 3.5): loans still out after their return date, before school.
    "itsupport-check-overdue-loans": {
        "task": "itsupport.tasks.check_overdue_loans",
        "schedule": crontab(hour=7, minute=20),
    },
    # Data breaches (sections 3.5 and 5): remind the DPO at 24, 48 and 66 hours after
    # discovery while no ICO decision is recorded.
    "dpo-check-breach-clocks": {
        "task": "dpo.tasks.check_breach_clocks",
        "schedule": crontab(minute="*/15"),
    },
    # Retention (section 5): queue records past their retention period for the DPO, nightly.
    "dpo-check-retention": {
        "task": "dpo.tasks.check_retention",
        "schedule": crontab(hour=2, minute=45),
    },
}

# --- Accounts, allauth and MFA -------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
# Emails are unique case-insensitively through a functional constraint, which auth's check
# cannot see; get_by_natural_key looks them up the same way.
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
AUTHENTICATION_BACKENDS = [
    "allauth.account.auth_backends.AuthenticationBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "accounts.adapters.StaffAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_REAUTHENTICATION_TIMEOUT = env_int("ACCOUNT_REAUTHENTICATION_TIMEOUT", 300)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SCHOOL_NAME}] "
ACCOUNT_RATE_LIMITS = {
    # Failed sign-ins: per address (IP) and per account (key), wherever the form lives.
    "login_failed": env_str("LOGIN_FAILED_RATE_LIMIT", "10/m/ip,5/5m/key"),
    "login": "30/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "reauthenticate": "10/m/user",
    "change_password": "5/m/user",
    # Sign-in codes by email (the carers' portal): per address and per account.
    "request_login_code": "20/m/ip,3/m/key",
}
# A one-time code sent to the account's email, instead of a password: how carers sign in.
# Staff who use it still give their authenticator code next (allauth's MFA stage), and staff
# without a second factor are still held at setting one up (RequireMfaMiddleware).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
MFA_ADAPTER = "accounts.adapters.StaffMfaAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SCHOOL_NAME
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10
# Staff cannot use the service until they have set up a second factor (policy section 5).
MFA_REQUIRED = env_bool("MFA_REQUIRED", default=True)

# Device security declarations (policy sections 5.1 and 5.3): staff declare at first use and
# then every DEVICE_DECLARATION_VALID_DAYS; DEVICE_DECLARATION_GRACE_DAYS after it falls due,
# only the declaration page, sign-in settings and sign-out stay open.
DEVICE_DECLARATION_REQUIRED = env_bool("DEVICE_DECLARATION_REQUIRED", default=True)
DEVICE_DECLARATION_VALID_DAYS = env_int("DEVICE_DECLARATION_VALID_DAYS", 365)
DEVICE_DECLARATION_GRACE_DAYS = env_int("DEVICE_DECLARATION_GRACE_DAYS", 5)

# django-guardian: no anonymous user; object permissions are only ever granted to staff.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

PASSWORD_MIN_LENGTH = env_int("PASSWORD_MIN_LENGTH", 12)
PASSWORD_REQUIRED_CHARACTER_CLASSES = env_list(
    "PASSWORD_REQUIRED_CHARACTER_CLASSES", ["upper", "lower", "digit", "special"]
)
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {
        "NAME": "accounts.validators.CharacterClassValidator",
        "OPTIONS": {"required_classes": PASSWORD_REQUIRED_CHARACTER_CLASSES},
    },
]

# --- Sessions -------------------------------------------------------------------------------

SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 20 * 60)
SESSION_ABSOLUTE_TIMEOUT = env_int("SESSION_ABSOLUTE_TIMEOUT", 9 * 60 * 60)
# A carer's account (the carers' portal) signs out sooner: family phones are often shared.
CARER_SESSION_IDLE_TIMEOUT = env_int("CARER_SESSION_IDLE_TIMEOUT", 15 * 60)
CARER_SESSION_ABSOLUTE_TIMEOUT = env_int("CARER_SESSION_ABSOLUTE_TIMEOUT", 2 * 60 * 60)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "remote_learning.views.csrf_failure"

# --- Transport security and headers --------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalisation -------------------------------------------------------------------

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files and email -----------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
    # Documents attached to cases and concerns: outside the web root, with no address (no
    # MEDIA_URL serves them); only their record's gated, audited view hands them back. A
    # trust may keep them in S3-compatible storage instead (django-storages, see README).
    "documents": {
        "BACKEND": "core.documents.PrivateFileSystemStorage",
        "OPTIONS": {
            "location": VAR_DIR / "documents",
            "file_permissions_mode": 0o600,
            "directory_permissions_mode": 0o700,
        },
    },
}
DOCUMENTS_S3_BUCKET = env_str("DOCUMENTS_S3_BUCKET")
if DOCUMENTS_S3_BUCKET:
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DOCUMENTS_S3_BUCKET,
            "endpoint_url": env_str("DOCUMENTS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("DOCUMENTS_S3_REGION") or None,
            "location": env_str("DOCUMENTS_S3_PREFIX", "documents"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
# The largest document that may be attached, in megabytes.
DOCUMENT_MAX_MB = env_int("DOCUMENT_MAX_MB", 10)

DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "remote-learning@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SMTP_HOST = env_str("EMAIL_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("EMAIL_PORT", 587),
                "username": env_str("EMAIL_HOST_USER"),
                "password": env_str("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", default=True),
                "timeout": 10,
            },
        }
    }
else:
    # Development: emails (password resets) are printed where `make run` is running.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Oversight reports -----------------------------------------------------------------------
# SLT oversight reports (PDFs with pupil data) are deleted this many days after they are asked
# for; the sweep in CELERY_BEAT_SCHEDULE deletes them.
OVERSIGHT_REPORT_RETENTION_DAYS = env_int("OVERSIGHT_REPORT_RETENTION_DAYS", 30)
# Printed safeguarding chronologies: kept long enough to print for a meeting, then deleted.
CHRONOLOGY_PRINT_RETENTION_DAYS = env_int("CHRONOLOGY_PRINT_RETENTION_DAYS", 7)

# --- Logging --------------------------------------------------------------------------------
# Log lines carry the request id, never personal data: no emails, names or query strings.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "core.middleware.RequestIdLogFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # The default request logger prints the full path, which can hold query strings.
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # PDF rendering reports every step and every font subset at INFO: noise, not news.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
