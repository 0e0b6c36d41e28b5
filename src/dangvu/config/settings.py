"""Settings for dangvu, read from the environment (see the configuration table in README.md)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .env import database_from_url, env_bool, env_choice, env_int, env_list, env_path, env_str

MODE = env_choice("DANGVU_MODE", ("demo", "production"), "demo")
PRODUCTION = MODE == "production"
DATA_DIR = env_path("DANGVU_DATA_DIR", "./var")

if PRODUCTION:
    SECRET_KEY = env_str("DANGVU_SECRET_KEY")
    if not SECRET_KEY or len(SECRET_KEY) < 50:
        raise ImproperlyConfigured(
            "DANGVU_MODE=production needs DANGVU_SECRET_KEY (at least 50 random characters)."
        )
    ALLOWED_HOSTS = env_list("DANGVU_ALLOWED_HOSTS")
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DANGVU_MODE=production needs DANGVU_ALLOWED_HOSTS (comma-separated).")
    DEBUG = False
else:
    # Demo mode: a fixed key is fine, the demo accounts and data are public anyway.
    SECRET_KEY = env_str("DANGVU_SECRET_KEY", "demo-only-key-" + "x" * 40)
    ALLOWED_HOSTS = env_list("DANGVU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
    DEBUG = env_bool("DANGVU_DEBUG", False)

CSRF_TRUSTED_ORIGINS = env_list("DANGVU_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "dangvu.core",
    "dangvu.accounts",
    "dangvu.orgs",
    "dangvu.members",
    "dangvu.stats",
    "dangvu.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dangvu.core.middleware.RequestContextMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "dangvu.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "dangvu.config.urls"
WSGI_APPLICATION = "dangvu.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dangvu.core.context_processors.dangvu",
            ],
        },
    },
]

DATABASES = {"default": database_from_url(env_str("DANGVU_DATABASE_URL"), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling: failures allowed per account and per address inside the window.
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("DANGVU_LOGIN_THROTTLE_WINDOW", 15 * 60)
LOGIN_THROTTLE_PER_ACCOUNT = env_int("DANGVU_LOGIN_THROTTLE_PER_ACCOUNT", 5)
LOGIN_THROTTLE_PER_ADDRESS = env_int("DANGVU_LOGIN_THROTTLE_PER_ADDRESS", 20)
# Reverse proxies in front of dangvu that append to X-Forwarded-For (nginx: 1). 0: use the socket address.
PROXY_COUNT = env_int("DANGVU_PROXY_COUNT", 0)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt"))]
TIME_ZONE = env_str("DANGVU_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FORMAT_MODULE_PATH = ["dangvu.config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = env_int("DANGVU_SESSION_AGE", 8 * 3600)
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DANGVU_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DANGVU_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("DANGVU_HSTS_PRELOAD", False)
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# The same policy in every mode, so the demo shows what production enforces: only our own assets.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {"login": "20/min"},
    "EXCEPTION_HANDLER": "dangvu.core.api.exception_handler",
    "DATE_FORMAT": "iso-8601",
    "DATE_INPUT_FORMATS": ["iso-8601", "%d/%m/%Y"],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "dangvu API",
    "DESCRIPTION": "REST API v1 của dangvu: tổ chức đảng, lịch sử, quy định, lịch làm việc, việc đến hạn.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "dangvu.orgs.models.OrganisationKind",
        "RuleStatusEnum": "dangvu.core.models.RuleStatus",
        "MemberStatusEnum": "dangvu.members.models.MemberStatus",
        "MemberEntryStatusEnum": "dangvu.members.models.ENTRY_STATUS_CHOICES",
        "ExitKindEnum": "dangvu.members.models.ExitKind",
        "TransferKindEnum": "dangvu.members.models.TransferKind",
        "TransferStateEnum": "dangvu.members.models.TransferState",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Member files with more rows than this are imported by the worker, with a progress bar.
DANGVU_IMPORT_SYNC_MAX_ROWS = env_int("DANGVU_IMPORT_SYNC_MAX_ROWS", 2000)
# Larger member files are refused with a message (split the file).
DANGVU_IMPORT_MAX_ROWS = env_int("DANGVU_IMPORT_MAX_ROWS", 200_000)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        # Request id, never personal data: user names, citizen IDs and bodies stay out of logs.
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {"request_id": {"()": "dangvu.core.middleware.RequestIdLogFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env_str("DANGVU_LOG_LEVEL", "INFO")},
    "loggers": {"django.server": {"level": "WARNING"}},
}

EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend"
)
