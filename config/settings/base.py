"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "programme",
    "knowledge",
    "meetings",
    "communication",
    "axes",
    "csp",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.table_block",
    "wagtail.contrib.typed_table_block",
    "wagtail.contrib.sitemaps",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    # First: a hit skips the rest; a miss stores the response as the rest left it.
    "config.pagecache.AnonymousPageCacheMiddleware",
    # An ETag on every answer, and 304 Not Modified to a reader who already holds it (the page
    # cache answers its own copies' If-None-Match the same way).
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.locale.ChosenLanguageMiddleware",
    "config.routing.PageRouteMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.AdminSecurityMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # A search the index cannot answer (admin lists, choosers): a message, never a server error.
    "knowledge.middleware.SearchIndexErrorMiddleware",
    # Last, so that it turns a lockout raised by any login view into its response.
    "axes.middleware.AxesMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# SQLite on disk unless DATABASE_URL names another database (PostgreSQL in production).
if not os.environ.get("DATABASE_URL"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Redis out of reach: reads miss and writes are dropped, so the site keeps serving, uncached;
# config/generation.py logs it and purges everything once Redis is back.
# After a failure, calls to Redis fail at once for REDIS_RETRY_SECONDS (config/rediscache.py).
REDIS_CACHE_OPTIONS = {
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
    "SOCKET_TIMEOUT": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
    "CONNECTION_POOL_CLASS": "config.rediscache.OutageAwareConnectionPool",
}
REDIS_RETRY_SECONDS = float(os.environ.get("REDIS_RETRY_SECONDS", "5"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fia"),
            "OPTIONS": REDIS_CACHE_OPTIONS,
        }
    }
else:
    # A file cache, so that every worker process on this machine sees the same page purges.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
            # Django's default of 300 entries is a few dozen pages; it culls a third when full.
            "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("FILE_CACHE_MAX_ENTRIES", "20000"))},
        }
    }

# Full-page cache for anonymous readers (config/pagecache.py).
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE_ENABLED", True)
PAGE_CACHE_ALIAS = "default"
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "3600"))
# The release whose pages are cached (config/pagecache.py `release`); empty: a digest of the code.
RELEASE = os.environ.get("RELEASE", "")
# Each worker process's own copies of the pages it served, checked against the shared cache's
# generation on every request.
PAGE_CACHE_LOCAL_BYTES = int(os.environ.get("PAGE_CACHE_LOCAL_BYTES", str(32 * 1024 * 1024)))
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/dokumenter/", "/logg-inn/", "/logg-ut/", "/i18n/", "/sok/", "/api/"]
WAGTAILAPI_LIMIT_MAX = 100

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("en", _("Engelsk"))]
WAGTAIL_CONTENT_LANGUAGES = [("nb", "Norsk bokmål")]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nb", "Norsk bokmål"), ("en", "English")]
# The project's own catalogues (English), then bokmål for the Wagtail admin strings that Wagtail's
# own nb catalogue lacks (locale/wagtail/nb, see its header).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
# The English interface reads dates day first, as here (config/formats/en).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling for the admin and the front-end login: five failures for one user name from
# one address lock that pair out for an hour.
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_IPWARE_PROXY_COUNT", "0")) or None

# The public site loads nothing from other origins (no CDN, no external fonts).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
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
}
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Uploads: the document types the programme uses, and size limits with a clear error.
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "xlsx", "xls", "odt", "ods", "pptx", "csv", "txt"]
WAGTAILDOCS_DOCUMENT_FORM_BASE = "config.security.DocumentForm"
DOCUMENT_MAX_UPLOAD_SIZE = int(os.environ.get("DOCUMENT_MAX_UPLOAD_MB", "25")) * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]
WAGTAILIMAGES_MAX_UPLOAD_SIZE = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "10")) * 1024 * 1024

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
WAGTAIL_FRONTEND_LOGIN_URL = "/logg-inn/"
WAGTAILADMIN_USER_LOGIN_FORM = "config.adminlogin.LoginForm"
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(8 * 3600)))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

WAGTAIL_SITE_NAME = "Flere i arbeid"
# The public address of the site, written to Wagtail's Site by load_programme.
SITE_HOSTNAME = os.environ.get("SITE_HOSTNAME", "localhost")
SITE_PORT = int(os.environ.get("SITE_PORT", "80"))
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# The API's own addresses (detail_url) name the public site, as its html_url and the sitemap do.
_SITE_SCHEME = "https" if SITE_PORT == 443 else "http"
_SITE_PORT_PART = "" if SITE_PORT in (80, 443) else f":{SITE_PORT}"
WAGTAILAPI_BASE_URL = (
    os.environ.get("WAGTAILAPI_BASE_URL") or f"{_SITE_SCHEME}://{SITE_HOSTNAME}{_SITE_PORT_PART}"
)
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# No avatars from gravatar.com: the admin's content security policy blocks them, and the link
# would send a hash of each editor's e-mail address to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_I18N_ENABLED = False
TAGGIT_CASE_INSENSITIVE = True

# Search: the backend is chosen by SEARCH_BACKEND alone.
#   whoosh   - the embedded default: a Whoosh index on disk (one app server)
#   database - Wagtail's database backend (PostgreSQL full-text search with the norwegian
#              configuration; shared by every app server that uses the same database)
#   opensearch / elasticsearch - an external cluster at SEARCH_URL
SEARCH_BACKEND = os.environ.get("SEARCH_BACKEND", "whoosh")
SEARCH_INDEX_DIR = Path(os.environ.get("SEARCH_INDEX_DIR", VAR_DIR / "search-index"))
SEARCH_URL = os.environ.get("SEARCH_URL", "")


def search_backends(choice: str) -> dict:
    if choice == "whoosh":
        return {
            "default": {
                "BACKEND": "knowledge.search.backend",
                "PATH": str(SEARCH_INDEX_DIR),
                # Seconds a write waits for another process's write to finish before it gives up.
                "LOCK_TIMEOUT": float(os.environ.get("SEARCH_LOCK_TIMEOUT", "30")),
            }
        }
    if choice in {"opensearch", "elasticsearch"}:
        module = (
            "wagtail.search.backends.opensearch2"
            if choice == "opensearch"
            else ("wagtail.search.backends.elasticsearch8")
        )
        return {
            "default": {
                "BACKEND": module,
                "URLS": env_list("SEARCH_URL"),
                "INDEX": os.environ.get("SEARCH_INDEX_NAME", "flere-i-arbeid"),
            }
        }
    if choice == "database":
        return {"default": {"BACKEND": "wagtail.search.backends.database", "SEARCH_CONFIG": "norwegian"}}
    raise ValueError(f"Unknown SEARCH_BACKEND {choice!r}: use whoosh, database, opensearch or elasticsearch")


WAGTAILSEARCH_BACKENDS = search_backends(SEARCH_BACKEND)

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "flere-i-arbeid@kristiansand.kommune.no")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        # Wagtail and django-tasks log every page action and background task at INFO.
        "wagtail": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        # WeasyPrint logs each step of a PDF layout (and its own stylesheets on import) at INFO.
        "weasyprint": {"level": "WARNING"},
    },
}
