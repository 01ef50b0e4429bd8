"""Settings for the Cell Therapy Portal, read from the environment.

One module for every environment. Values come from environment variables (or a `.env`
file beside `manage.py`); see `.env.example`. Production refuses to start without a
real secret key.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_DEV_SECRET_KEY = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105 - only ever used with DJANGO_DEBUG on
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. It is required whenever DJANGO_DEBUG is off."
        )
    SECRET_KEY = _DEV_SECRET_KEY

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must come before django.contrib.admin.
    "modeltranslation",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "reversion",
    "csp",
    "axes",
    "portal.apps.PortalConfig",
    "therapies.apps.TherapiesConfig",
    "policies.apps.PoliciesConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Per-section Content-Security-Policy; see CONTENT_SECURITY_POLICY and CSP_SECTION_RELAXATIONS.
    "portal.middleware.SectionCSPMiddleware",
    # Outside the page cache and whitenoise, so hits and static files carry it as misses do.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside the page cache, so the CORS headers answer the request at hand, hit or miss:
    # a stored copy carries none, whichever request (with or without Origin) filled it.
    "corsheaders.middleware.CorsMiddleware",
    # Anonymous public responses from the shared cache, keyed by the content generation.
    "portal.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Turns a lost database into a 503 page or JSON body instead of a 500 traceback.
    "portal.middleware.DatabaseUnavailableMiddleware",
    # django-axes must be last: it answers locked-out login attempts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

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
                "portal.context_processors.site",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------
# SQLite in the project folder is the zero-setup default; production sets DATABASE_URL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL plans a detail's repeated statements once per connection (portal/prepared.py).
# Turn off behind a transaction-pooling PgBouncer, whose server connections are shared.
SERVER_PREPARED_STATEMENTS = env.bool("DJANGO_SERVER_PREPARED_STATEMENTS", default=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------
_cache_url = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if _cache_url:
    CACHES = {"default": env.cache_url_config(_cache_url)}
    if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        # A Redis outage degrades to cache misses instead of 500s (portal/cache.py).
        CACHES["default"]["BACKEND"] = "portal.cache.ResilientRedisCache"
    # Sessions stay in PostgreSQL and are read through the shared cache: any server can
    # answer a signed-in editor, most requests skip the session query, and a Redis outage
    # costs a database read, not a login. (With a per-process cache, a copy could go stale.)
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole public responses for anonymous readers (portal/page_cache.py). The content
# generation makes them stale the moment anything changes, so the lifetime is only a bound
# on memory.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=24 * 3600)
# How long browsers and a CDN may reuse a public page or API response before revalidating
# (Cache-Control max-age). PAGE_CACHE_BROWSER_MAX_AGE is its former name, still read.
PUBLIC_MAX_AGE = env.int("PUBLIC_MAX_AGE", default=env.int("PAGE_CACHE_BROWSER_MAX_AGE", default=60))
# Only the benchmark sets this: a request carrying the header skips the cache (a cold read).
PAGE_CACHE_BYPASS_HEADER = env.str("PAGE_CACHE_BYPASS_HEADER", default="")
# How often each process checks the content generation with the database (portal/generation.py):
# the most a server can lag behind a commit it did not make, whatever Redis does meanwhile.
CONTENT_GENERATION_CHECK_SECONDS = env.float("CONTENT_GENERATION_CHECK_SECONDS", default=2.0)

# --- Authentication ---------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "admin:login"
# django-axes checks every login first, so a locked-out attempt never reaches the password check.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Brute-force lockout per (username, address) pair, never per username alone: an attacker
# elsewhere cannot lock a real editor out, and every lockout ends after the cool-off. An
# address that fails across many usernames (password spraying) is locked as a whole, at a
# higher limit so that one office behind one address is not locked by a few typos.
AXES_USERNAME_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_ADDRESS_FAILURE_LIMIT = env.int("AXES_ADDRESS_FAILURE_LIMIT", default=25)
AXES_FAILURE_LIMIT = "portal.login_limits.failure_limit"
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
# No start-up banner before every management command; lockouts are still logged.
AXES_VERBOSE = env.bool("AXES_VERBOSE", default=False)
AXES_CLIENT_IP_CALLABLE = "portal.middleware.client_ip"
# How many reverse proxies in front of the app append to X-Forwarded-For (0: none, use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# --- Languages --------------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("zh-hans", _("Simplified Chinese")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# django-modeltranslation: every translated field gets `_en` and `_zh_hans` columns in
# the same table; an empty Chinese value falls back to English.
MODELTRANSLATION_DEFAULT_LANGUAGE = "en"
MODELTRANSLATION_LANGUAGES = ("en", "zh-hans")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("en",)

# --- Static files -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# --- REST framework ---------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticatedOrReadOnly",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "portal.api.schema.PortalAutoSchema",
    # JSON first (the default for clients that do not ask), the browsable API, CSV by ?format=csv.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
        "portal.api.renderers.CSVRenderer",
    ],
    # Bounded body size (DATA_UPLOAD_MAX_MEMORY_SIZE) and JSON nesting (API_MAX_JSON_DEPTH).
    "DEFAULT_PARSER_CLASSES": [
        "portal.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.Pagination",
    "PAGE_SIZE": 20,
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.throttling.AnonymousThrottle",
        "portal.api.throttling.EditorThrottle",
    ],
    "EXCEPTION_HANDLER": "portal.api.throttling.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_THROTTLE_RATE", default="120/min"),
        "user": env.str("API_USER_THROTTLE_RATE", default="1200/min"),
        "login": env.str("API_LOGIN_THROTTLE_RATE", default="10/min"),
    },
}

# Deeper JSON bodies are refused with a 400; no resource nests more than a few levels.
API_MAX_JSON_DEPTH = env.int("API_MAX_JSON_DEPTH", default=32)

SPECTACULAR_SETTINGS = {
    "TITLE": "Cell Therapy Portal API",
    "DESCRIPTION": "Curated, cited data on cell therapies, approvals, mechanisms and policies.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Requests take slugs where responses show compact objects, so they get their own components.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.schema.document_errors",
    ],
    "ENUM_NAME_OVERRIDES": {
        "EditorialStatusEnum": "portal.choices.EditorialStatus",
        "JurisdictionEnum": "portal.choices.Jurisdiction",
        "DatePrecisionEnum": "portal.choices.DatePrecision",
        "ApprovalStatusEnum": "therapies.choices.ApprovalStatus",
        "LegalStatusEnum": "policies.choices.LegalStatus",
        "TherapyKindEnum": "therapies.choices.TherapyKind",
        "MoleculeKindEnum": "therapies.choices.MoleculeKind",
    },
}

# Read-only API endpoints may be used from browsers on other origins; writes need a token.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ("GET", "HEAD", "OPTIONS")

# --- Security ---------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
if not DEBUG:
    SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=60 * 60 * 8)
# The admin lives at a configurable path so it is not where every scanner looks first.
ADMIN_URL = env.str("DJANGO_ADMIN_URL", default="admin/")
# Load balancers probe over plain HTTP; everything else is redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Content-Security-Policy (django-csp 4): strict everywhere by default, so public pages run
# only same-origin scripts and styles, no plugins, and cannot be framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Sections whose third-party pages need a little more, added to the policy above by
# portal.middleware.SectionCSPMiddleware (path prefix -> directives to extend). Scripts stay
# 'self' everywhere: the admin has no inline scripts and the API docs load theirs from a URL.
CSP_SECTION_RELAXATIONS = {
    # Admin widgets and icons use data: images and inline style attributes.
    f"/{ADMIN_URL}": {"img-src": ["data:"], "style-src": ["'unsafe-inline'"]},
    # Swagger UI (drf-spectacular sidecar) has an inline <style> block and data: icons.
    "/api/docs/": {"img-src": ["data:"], "style-src": ["'unsafe-inline'"]},
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}

# --- Portal -----------------------------------------------------------------------------
# Where `load_curated` reads the curated dataset from.
CURATED_DATA_DIR = env.path("CURATED_DATA_DIR", default=BASE_DIR / "data")
