"""Settings, read from the environment with safe defaults for the embedded (SQLite) mode.

Production sets DATABASE_URL (PostgreSQL), SECRET_KEY, DEBUG=false and ALLOWED_HOSTS; a fresh
clone runs with none of them (``make run``).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent  # src/hoso
REPO_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("HOSO_VAR_DIR", REPO_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
# Embedded/demo mode only: production must set SECRET_KEY (check --deploy fails otherwise).
SECRET_KEY = os.environ.get(
    "SECRET_KEY", "django-insecure-hoso-embedded-demo-key-change-me-in-production-0123456789"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The demo accounts and their printed passwords exist only in this mode.
DEMO_MODE = env_bool("HOSO_DEMO", DEBUG)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "hoso.core",
    "hoso.organizations",
    "hoso.accounts",
    "hoso.academics",
    "hoso.audit",
    "hoso.assessment",
    "hoso.reporting",
    "hoso.workflow",
    "hoso.printing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hoso.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Security (issue 8): second factor, idle expiry, sessions per person, inspectors' views, CSP.
    "hoso.accounts.middleware.ContentSecurityPolicyMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "hoso.accounts.middleware.SessionGuardMiddleware",
    "hoso.accounts.middleware.SecondFactorMiddleware",
    "hoso.accounts.middleware.InspectorAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A service's refusal no view caught: its Vietnamese message, never a 500.
    "hoso.core.middleware.DomainErrorMiddleware",
    # Last: turns a lock-out into the Vietnamese lock-out page (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hoso.config.urls"
WSGI_APPLICATION = "hoso.config.wsgi.application"

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
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several teachers save at once even in the demo: wait for the write lock instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The login and API rate limits count in the cache: with several web servers (or gunicorn
# workers) they hold only with a shared one. REDIS_URL=redis://127.0.0.1:6379/1 in production;
# the embedded mode keeps Django's per-process memory cache.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
        }
    }
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "hoso.accounts.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out account before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "hoso.accounts.security.HosoAxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Lock-out (issue 8, R8.1): the 5th wrong password in a row locks the account (whatever the
# address, so guessing from many machines does not help); an admin of the school lifts it on the
# account's page, or it lifts itself after HOSO_LOCKOUT_HOURS (default 1).
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_COOLOFF_TIME = float(os.environ.get("HOSO_LOCKOUT_HOURS", "1")) or None
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "hoso.accounts.security.client_ip"
AXES_VERBOSE = False
# axes.W006 asks to lock by address too: a school's teachers share one address, so five typos by
# five teachers would lock the whole school out. Addresses are slowed down instead (the login
# page admits 30 attempts per address per 5 minutes, hoso.accounts.views.LoginView).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# Second factor (TOTP) for leadership, admins and officers: required unless the demo waives it
# (DEMO_MODE, with a banner). HOSO_OTP_REQUIRED=true forces it even in demo mode.
if "HOSO_OTP_REQUIRED" in os.environ:
    HOSO_OTP_REQUIRED = env_bool("HOSO_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "hoso"
# A session ends after SESSION_COOKIE_AGE in any case, and after HOSO_IDLE_TIMEOUT seconds
# without a request (default 30 minutes): a school computer left open is not left logged in.
HOSO_IDLE_TIMEOUT = int(os.environ.get("HOSO_IDLE_TIMEOUT", str(30 * 60)))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# hoso.css, grid.js and the vendored htmx live in src/hoso/static, which is no app's static/
# folder: without this, runserver and collectstatic miss them (found by the e2e tests, issue 10).
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = VAR_DIR / "media"
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

SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
# Uploaded files (photos, imported workbooks) are never served from a public URL: MEDIA_URL is not
# routed; files reach a browser only through views that authorize the request.
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy (hoso.accounts.middleware): our own origin only, no inline scripts.
HOSO_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Swagger UI loads its scripts from a CDN with an inline bootstrap: the only relaxed page.
HOSO_CSP_RELAXED_PATHS = ["/api/docs/"]
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    # DRF's defaults, but unreadable JSON (even nested too deep) is a Vietnamese 400, not a 500.
    # Form and multipart stay: the browsable API and form-encoded clients post them.
    "DEFAULT_PARSER_CLASSES": [
        "hoso.api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Rate limits (issue 8): generous for a teacher's grid, tight for anonymous callers.
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("HOSO_API_RATE_ANON", "60/minute"),
        "user": os.environ.get("HOSO_API_RATE_USER", "600/minute"),
    },
}
SPECTACULAR_SETTINGS = {
    "TITLE": "hoso API",
    "DESCRIPTION": "Sổ theo dõi và đánh giá học sinh điện tử, học bạ điện tử",
    "VERSION": "1",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Personal data (national ids, names, passwords, tokens) never reaches a log line (issue 8).
    "filters": {"personal_data": {"()": "hoso.accounts.log_filters.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
