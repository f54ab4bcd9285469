"""Settings for every environment; production differs only by environment variables."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env_file = BASE_DIR / ".env"
if env_file.exists():
    environ.Env.read_env(str(env_file), overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_INSECURE_KEY = "django-insecure-development-only-key"
SECRET_KEY = env("DJANGO_SECRET_KEY", default=_INSECURE_KEY)
if not DEBUG and (SECRET_KEY == _INSECURE_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is false.")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Applications ---------------------------------------------------------------
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
    "django_filters",
    "django_celery_beat",
    "apps.core.third_party.AxesConfig",  # django-axes under a translated name
    "csp",
    "apps.core",
    "apps.accounts",
    "apps.notifications",
    "apps.org",
    "apps.conduct",
    "apps.workcalendar",
    "apps.attendance",
    "apps.leave",
    "apps.reports",
    "apps.intel",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so the policy reaches every response, axes' lockout page and error pages included.
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "apps.core.middleware_session.SessionRefreshMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "apps.core.permission_cache.PermissionCacheMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "apps.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mktdept.urls"
WSGI_APPLICATION = "mktdept.wsgi.application"

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
                "apps.core.context_processors.navigation",
            ],
        },
    },
]

# Database -------------------------------------------------------------------
VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mktdept.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web server, worker and beat share the file: take the write lock at BEGIN so that
    # select_for_update() transactions wait for each other instead of failing at once.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Users and authentication ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
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
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "org:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock the *username* after repeated failures, never the shared office IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("DJANGO_PROXY_COUNT", default=0)

# Sessions expire after this many idle seconds. A request renews the session only when the last
# renewal is SESSION_REFRESH_SECONDS old (apps/core/middleware_session.py), so a page does not
# write the session row; an idle session ends up to that much earlier than SESSION_COOKIE_AGE.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = min(15 * 60, max(SESSION_COOKIE_AGE // 20, 1))
SESSION_COOKIE_HTTPONLY = True

# Internationalisation --------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# One way of writing a date in English, lists and notifications alike (mktdept/formats/en).
FORMAT_MODULE_PATH = ["mktdept.formats"]
USE_TZ = True

# Static and media -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media/"
# Report files live outside MEDIA_ROOT and have no URL: only a permission-checked view serves them.
REPORTS_ROOT = env.path("MKTDEPT_REPORTS_ROOT", default=str(VAR_DIR / "reports"))
INTEL_ROOT = env.path("MKTDEPT_INTEL_ROOT", default=str(VAR_DIR / "intel"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "reports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(REPORTS_ROOT), "base_url": None},
    },
    # Intelligence attachments: no URL either; the clearance-checked download view serves them.
    "intel": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(INTEL_ROOT), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Forms ------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
# Capitalised labels for every form, whatever its fields' label= texts say (issue 8).
FORM_RENDERER = "apps.core.renderers.FormRenderer"

# Cache, broker and Celery ---------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
# A web request that queues a task gives up on a broker that is down within about half a second
# (the work stays saved and a sweeper queues it later) instead of retrying for seconds. The
# worker's own reconnection is governed by broker_connection_retry, not by these.
_PUBLISH_RETRY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
# Redis is on the local network: a connection that takes longer than this is an outage.
_REDIS_CONNECT_TIMEOUT = 0.5
if REDIS_URL:
    # A cache outage is a cache miss, never a failed page (mktdept/cache.py).
    CACHES = {
        "default": {
            "BACKEND": "mktdept.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": _REDIS_CONNECT_TIMEOUT, "socket_timeout": 1.0},
        }
    }
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {**_PUBLISH_RETRY, "socket_connect_timeout": _REDIS_CONNECT_TIMEOUT}
    # The result store's default is 20 reconnection attempts a second apart, on every send whose
    # result is kept (issue 7: a 38-second leave form). Nothing reads task results, so none are
    # kept (CELERY_TASK_IGNORE_RESULT); a task that does want one fails fast as well.
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
        "retry_policy": {"max_retries": 2, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.5}
    }
    CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = _REDIS_CONNECT_TIMEOUT
else:
    # Without Redis the worker and beat still run for real, through kombu's
    # filesystem transport under var/.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("out", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "out"),
        "data_folder_out": str(_broker_dir / "out"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        **_PUBLISH_RETRY,
    }
    CELERY_RESULT_BACKEND = None

CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# E-mail -----------------------------------------------------------------------------
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("DJANGO_EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("DJANGO_EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("DJANGO_EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="mktdept@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Security ---------------------------------------------------------------------------
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
# No script reads the CSRF cookie: static/js/app.js takes the token from the page's form.
CSRF_COOKIE_HTTPONLY = True

# Content-Security-Policy (django-csp 4). Scripts come only from our static files: templates hold
# no inline <script>, no on*= handler and no style attribute (tests/core/test_security_headers.py
# checks them), htmx runs with allowEval and its injected indicator <style> off (the htmx-config
# meta tag in base.html), so no nonce is needed. Styles need no 'unsafe-inline' either: Bootstrap,
# Popper, Chart.js and our scripts set element styles through the CSSOM (element.style.width =
# ...), which CSP does not govern; only style attributes in markup and <style> elements would need
# it. Bootstrap's CSS draws its icons from data: URLs, hence img-src data:.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    },
}

# Logging ------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

# Project ------------------------------------------------------------------------------
# How many times a list page shows per page.
PAGE_SIZE = 25
# Links in e-mails. In development they follow the port `make run` serves on: honcho gives each
# process its own PORT (web 8080, worker 8180, beat 8280), so the Makefile passes the web port
# to all three as MKTDEPT_WEB_PORT.
SITE_URL = env(
    "DJANGO_SITE_URL",
    default=f"http://127.0.0.1:{env('MKTDEPT_WEB_PORT', default=env('PORT', default='8000')) if DEBUG else 8000}",
)
# The department this system serves (市场部); people outside any department see it.
MAIN_DEPARTMENT_CODE = env("MKTDEPT_MAIN_DEPARTMENT_CODE", default="MKT")

# Lockout is by user name on purpose: the whole office shares one public IP, and an IP
# lockout would shut out every colleague because of one person's typing (issue #2).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# The price observations' covering indexes (``include=``) are PostgreSQL's; the development SQLite
# database builds them without the extra columns, which is all it needs.
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    SILENCED_SYSTEM_CHECKS.append("models.W040")

# Attendance and leave ---------------------------------------------------------------
# The afternoon half of a working day starts at this time (half-day leave).
AFTERNOON_START = env("MKTDEPT_AFTERNOON_START", default="13:00")
LEAVE_ATTACHMENT_MAX_BYTES = env.int("MKTDEPT_LEAVE_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
# How far ahead a leave request or field-work notice may reach.
ATTENDANCE_MAX_DAYS_AHEAD = env.int("MKTDEPT_ATTENDANCE_MAX_DAYS_AHEAD", default=366)

# Report center ----------------------------------------------------------------------
# Report files are deleted (the job record stays) this many days after they were built.
REPORT_RETENTION_DAYS = env.int("MKTDEPT_REPORT_RETENTION_DAYS", default=30)
# A queued job whose message has not been picked up after this long is sent to the broker again.
REPORT_REQUEUE_AFTER_MINUTES = env.int("MKTDEPT_REPORT_REQUEUE_AFTER_MINUTES", default=10)
REPORT_SOFT_TIME_LIMIT = env.int("MKTDEPT_REPORT_SOFT_TIME_LIMIT", default=900)
REPORT_TIME_LIMIT = env.int("MKTDEPT_REPORT_TIME_LIMIT", default=960)
