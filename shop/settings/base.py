"""Settings shared by every environment; everything variable comes from the environment."""

import importlib.util
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.utils.translation import gettext_lazy as _
from oscar.defaults import *  # noqa: F401,F403  (Oscar's documented defaults)

from shop.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SHOP_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = env_str("SECRET_KEY", "demo-only-insecure-key-change-me-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# JSON on the API, Django's page elsewhere (`shop.views.csrf_failure`).
CSRF_FAILURE_VIEW = "shop.views.csrf_failure"

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a long demo load writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT: a web request's statements are short, and compiling one took 200 ms
    # whenever a row estimate ran high (re-indexing 100,000 products in chunks of
    # 1,000: 35 s with JIT, 10 s without).
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    # Django's admin on `shop.admin_site.ShopAdminSite` (a guard for every model admin).
    "shop.admin_site.ShopAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    # Our own apps; forks of Oscar apps keep Oscar's labels.
    "core.apps.CoreConfig",
    "shop.apps.ShopConfig",
    "accounts.apps.AccountsConfig",
    "content.apps.ContentConfig",
    "catalog.apps.CatalogueConfig",
    "catalog.partner.apps.PartnerConfig",
    "catalog.pricing.apps.PricingConfig",
    "catalog.importing.apps.ImportingConfig",
    "search.apps.SearchConfig",
    "invoicing.apps.InvoicingConfig",
    "cabinet.apps.CabinetConfig",
    "sales.basket.apps.BasketConfig",
    "sales.order.apps.OrderConfig",
    "sales.checkout.apps.CheckoutConfig",
    "sales.reservations.apps.ReservationsConfig",
    "integrations.apps.IntegrationsConfig",
    "sales.punchout.apps.PunchoutConfig",
    "shop.dashboard.apps.DashboardConfig",
    "shop.dashboard.orders.apps.OrdersDashboardConfig",
    # Oscar
    "shop.config.ShopOscarConfig",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "shop.dashboard.pages.apps.PagesDashboardConfig",
    "shop.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "sorl.thumbnail",
    "django_tables2",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    # Page translations: locales, and the "Translate" action that copies a page
    # into the other language's tree (`shop.i18n` for the URLs).
    "wagtail.locales",
    "wagtail.contrib.simple_translation",
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
    "django_tasks",
    "django_tasks_db",
    "health_check",
    "axes",
]

MIDDLEWARE = [
    "shop.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below whitenoise (static files come compressed already), above everything
    # that writes the body; only visitors' text answers (BREACH: see the class).
    "shop.middleware.AnonymousGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Django's, except that only Wagtail pages take their language from the URL
    # (`/ru/...`); every other page keeps the cookie's (`shop.middleware`).
    "shop.middleware.PageLocaleMiddleware",
    # A NUL character anywhere in the input: a 400 before the page cache or any view
    # (`shop.request_guard`).
    "shop.request_guard.NulRefusalMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # First touch of a campaign visit (`content.touches`): above the page cache, so
    # its cookie joins the answer after the cache has stored the page without it.
    "content.touches.FirstTouchMiddleware",
    # The anonymous visitor id of target actions (`content.tracking`): above the
    # page cache for the same reason, so no cached page carries anyone's id.
    "content.tracking.VisitorMiddleware",
    # Visitors' catalogue pages (`shop.cache`): after the language and CSRF, before
    # whatever sets a person's cookies.
    "shop.cache.PageCacheMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.ActiveCompanyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A punchout's buyer orders in their procurement system (`sales.punchout`).
    "sales.punchout.middleware.PunchoutCheckoutGuard",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (`shop.csp`): below the page cache, so a stored page
    # keeps the header naming its nonce and a served one gets a fresh nonce.
    "shop.csp.ShopCSPMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a login refused by django-axes into the lockout page (429).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "shop" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                # Oscar's search form, kept out of Wagtail's admin headers.
                "shop.context_processors.shop_search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
                "shop.context_processors.storefront",
            ],
        },
    }
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out e-mail + address before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/cabinet/"

# Internationalisation: English and Russian, chosen per request.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("ru", _("Russian"))]
LOCALE_PATHS = [BASE_DIR / "shop" / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Europe/Moscow")
USE_I18N = True
USE_TZ = True
# Wagtail pages have one URL per language (English unprefixed, Russian under /ru/);
# docs/ARCHITECTURE.md ("Languages").
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# shop/static is found through the `shop` app itself (listing it here too collects
# every file twice).
STATICFILES_DIRS: list = [
    # Swagger UI for the API's docs page (/api/v1/docs/), served as our own files.
    (
        "ninja",
        Path(importlib.util.find_spec("ninja").origin).parent / "static" / "ninja",
    ),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Without DEBUG, /media/ is served only when this is on (`make serve`, no web server
# in front), and then only its public image folders (`shop.media`).
SHOP_SERVE_MEDIA = env_bool("SHOP_SERVE_MEDIA", False)
# Invoices, delivery notes and other company documents: outside MEDIA_ROOT, with no
# URL; served only by the company-scoped views (`core.files.private_file_response`).
SHOP_PRIVATE_ROOT = Path(env_str("SHOP_PRIVATE_ROOT", str(VAR_DIR / "private")))
PRIVATE_STORAGE = {
    "BACKEND": "core.files.PrivateFileSystemStorage",
    "OPTIONS": {
        "location": str(SHOP_PRIVATE_ROOT),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}
# Behind nginx: "X-Accel-Redirect" (with SHOP_SENDFILE_PREFIX, an `internal` location
# aliased to SHOP_PRIVATE_ROOT) or "X-Sendfile" (Apache, lighttpd); empty: the file
# is streamed by Django. See docs/DEPLOY.md.
SHOP_SENDFILE_HEADER = env_str("SHOP_SENDFILE_HEADER", "")
SHOP_SENDFILE_PREFIX = env_str("SHOP_SENDFILE_PREFIX", "/private-files/")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}

SITE_ID = 1

# Content-Security-Policy (django-csp; `shop.csp`, docs/ARCHITECTURE.md, "Security
# headers"). The storefront runs only its own files, the nonce'd inline scripts of
# its templates and Stripe.js; style="" attributes stay (the templates use them),
# <style> elements do not.
STRIPE_JS = ["https://js.stripe.com", "https://*.js.stripe.com"]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE, *STRIPE_JS],
        "frame-src": [*STRIPE_JS, "https://hooks.stripe.com"],
        "connect-src": [SELF, "https://api.stripe.com"],
        "img-src": [SELF, "data:"],
        "style-src": [SELF],
        "style-src-elem": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "font-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # The same as X_FRAME_OPTIONS = "DENY" (Django's default, production's too).
        "frame-ancestors": [NONE],
    }
}
# Oscar's dashboard, Wagtail's admin and Django's admin come with inline scripts,
# inline event handlers and <style> we do not write: no nonce there (a nonce makes a
# browser ignore 'unsafe-inline'), Gravatar avatars (over the page's own scheme),
# and Wagtail's preview, which frames its own pages.
SHOP_CSP_BACK_OFFICE_PREFIXES = ["/dashboard/", "/cms/", "/admin/"]
SHOP_CSP_BACK_OFFICE = {
    "script-src": [SELF, UNSAFE_INLINE],
    "style-src": [SELF, UNSAFE_INLINE],
    "style-src-elem": [SELF, UNSAFE_INLINE],
    "img-src": [SELF, "data:", "blob:", "https:", "www.gravatar.com"],
    "font-src": [SELF, "data:"],
    # Wagtail's check for a new release.
    "connect-src": [SELF, "https://releases.wagtail.org"],
    "frame-src": [SELF, "https:"],
    "frame-ancestors": [SELF],
}
# Error pages that must render with nothing else working carry their own <style>.
SHOP_CSP_ERROR_PAGE = {"style-src-elem": [SELF, UNSAFE_INLINE]}

# Cache: Redis when REDIS_URL is set; otherwise files under VAR_DIR, which the dev
# server, the worker and the scheduler of `make demo` share (the worker's heartbeat
# must reach /health/; a per-process memory cache would not).
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Visitors' catalogue, category, product and search pages (`shop.cache`) and the
# viewer-independent part of every result list (`search.selectors.run_search`) are
# cached this long, under the catalogue's version (`catalog.cache`): a change to
# products, stock or prices shows at once; 0 turns the cache off.
SHOP_PAGE_CACHE_SECONDS = env_int("SHOP_PAGE_CACHE_SECONDS", 60)
SHOP_LISTING_CACHE_SECONDS = env_int("SHOP_LISTING_CACHE_SECONDS", 60)

# A commercial proposal (quote) of the basket is valid this many days.
SHOP_QUOTE_VALID_DAYS = env_int("SHOP_QUOTE_VALID_DAYS", 5)

# E-mail
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "shop@example.com")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where django.core.mail.backends.filebased.EmailBackend writes (EMAIL_BACKEND above).
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))

# Background tasks (django-tasks): queued in the database and run by
# `manage.py db_worker` (docs/ARCHITECTURE.md, "Background tasks");
# TASKS_BACKEND=django_tasks.backends.immediate.ImmediateBackend runs them in the
# process that enqueues them, with no worker.
TASKS = {
    "default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}
}
# A failed task is enqueued again after TASKS_RETRY_DELAY × 4^(attempt − 1) seconds,
# up to TASKS_RETRY_ATTEMPTS attempts in all (core.tasks.background_task).
TASKS_RETRY_ATTEMPTS = env_int("TASKS_RETRY_ATTEMPTS", 5)
TASKS_RETRY_DELAY = env_int("TASKS_RETRY_DELAY", 15)

# Webhooks out (integrations/): https endpoints on public addresses only; http with
# DEBUG or WEBHOOKS_ALLOW_HTTP, private addresses (a test server on 127.0.0.1) with
# WEBHOOKS_ALLOW_PRIVATE_ADDRESSES. A failed delivery is tried again after each of
# WEBHOOKS_RETRY_DELAYS seconds (1 min, 5 min, 30 min, 2 h, 12 h), then failed.
WEBHOOKS_ALLOW_HTTP = env_bool("WEBHOOKS_ALLOW_HTTP", False)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env_bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", False)
WEBHOOKS_RETRY_DELAYS = (60, 300, 1800, 7200, 43200)
WEBHOOKS_TIMEOUT = 5  # seconds, to connect and for each read
WEBHOOKS_RESPONSE_BYTES = 2048  # of an answer's body kept in the delivery log
# The 1C exchange (integrations/commerceml/, /exchange/1c/): the most one uploaded
# file may total (1C is told it as `file_limit`), and the price type of offers.xml
# imported as the list price (its name or Ид; empty: the file's first `ТипЦены`).
COMMERCEML_FILE_LIMIT = env_int("COMMERCEML_FILE_LIMIT", 10 * 1024 * 1024)
COMMERCEML_PRICE_TYPE = env_str("COMMERCEML_PRICE_TYPE", "")

# Oscar
OSCAR_SHOP_NAME = env_str("SHOP_NAME", "Promsnab B2B")
OSCAR_SHOP_TAGLINE = _("Industrial supplies for business")
OSCAR_DEFAULT_CURRENCY = env_str("SHOP_CURRENCY", "RUB")
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_HOMEPAGE = "/"
# Category and product URLs in readable Latin (`catalog.slugs`).
OSCAR_SLUG_FUNCTION = "catalog.slugs.slug_transliterate"
OSCAR_PRODUCTS_PER_PAGE = 24
OSCAR_ALLOW_ANON_CHECKOUT = False
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "postcode", "country")
OSCAR_HIDDEN_FEATURES = ["reviews", "wishlists"]
OSCAR_ACCOUNTS_REDIRECT_URL = "cabinet:home"
# Oscar still imports django-haystack; our `search` app replaces its views, so the
# haystack connection is a no-op and never indexes.
HAYSTACK_CONNECTIONS = {
    "default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}
}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# Wagtail
WAGTAIL_SITE_NAME = OSCAR_SHOP_NAME
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "pdf", "pptx", "txt", "xlsx", "zip"]

# Storefront contacts shown on every page (BRIEF, mistake 8: contacts always visible).
SHOP_PHONE = env_str("SHOP_PHONE", "+7 495 000-00-00")
SHOP_EMAIL = env_str("SHOP_EMAIL", "sales@example.com")
# The load balancer's addresses or networks: only a request from one of them may
# name the client in X-Forwarded-For (`core.client_ip`); empty: REMOTE_ADDR is it.
SHOP_TRUSTED_PROXIES = env_list("SHOP_TRUSTED_PROXIES")
# The short request form (`content.views.lead`): submissions per client IP and per
# e-mail or phone (django-ratelimit's "count/period", in the default cache).
SHOP_LEAD_RATE_PER_IP = env_str("SHOP_LEAD_RATE_PER_IP", "5/10m")
SHOP_LEAD_RATE_PER_CONTACT = env_str("SHOP_LEAD_RATE_PER_CONTACT", "3/h")
# A request from the e-mail or phone of an open lead active within this many days
# merges into that lead (`content.leads.services.lead_create`).
SHOP_LEAD_MERGE_DAYS = env_int("SHOP_LEAD_MERGE_DAYS", 30)
# Login throttling (django-axes; `accounts.lockout`): after AXES_FAILURE_LIMIT wrong
# passwords for one e-mail from one client address, that pair is refused — a 429 page
# that says for how long and offers the password reset — until AXES_COOLOFF_MINUTES
# after the last failure. Another address, or another account, is not affected. Every
# login that calls `authenticate()` counts: the shop's, /dashboard/, /admin/, /cms/.
# A password reset lifts the person's lockouts; staff lift one in the Django admin
# (Axes → Access attempts). A success forgets the failures before it.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "accounts.lockout.attempt_username"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.attempt_address"
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# Its start-up banner on every process would be noise in the JSON logs; lockouts are
# logged as warnings all the same.
AXES_VERBOSE = False
# An attempt refused during the lockout does not restart it: the page's "N minutes"
# holds, and a person retrying the right password is not kept out longer.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Password-reset requests per client address and per e-mail, and wrong API tokens
# per client address (django-ratelimit's "count/period", in the default cache).
SHOP_PASSWORD_RESET_RATE_PER_IP = env_str("SHOP_PASSWORD_RESET_RATE_PER_IP", "5/h")
SHOP_PASSWORD_RESET_RATE_PER_EMAIL = env_str(
    "SHOP_PASSWORD_RESET_RATE_PER_EMAIL", "3/h"
)
SHOP_API_TOKEN_FAILURES_PER_IP = env_str("SHOP_API_TOKEN_FAILURES_PER_IP", "20/10m")
# Requests per API token (`accounts.api_auth`): past it a JSON 429 with Retry-After;
# each answer says the limit and what is left (X-RateLimit-* headers).
SHOP_API_RATE_PER_TOKEN = env_str("SHOP_API_RATE_PER_TOKEN", "600/m")
# The answers of API POSTs sent with an Idempotency-Key are kept this long
# (`core.idempotency`); a repeat within it gets the first answer.
SHOP_API_IDEMPOTENCY_HOURS = env_int("SHOP_API_IDEMPOTENCY_HOURS", 24)
# The largest JSON body the API reads; a bigger one is a 413 before any work.
SHOP_API_MAX_BODY_BYTES = env_int("SHOP_API_MAX_BODY_BYTES", 1024 * 1024)
# Where the site is reached: the links in e-mails sent by background tasks, which
# have no request to take the host from.
SHOP_BASE_URL = env_str("SHOP_BASE_URL", "http://127.0.0.1:8000")
# Anonymous and unapproved visitors: "list" shows the public list price,
# "login" hides prices behind "log in for your price".
SHOP_ANONYMOUS_PRICES = env_str("SHOP_ANONYMOUS_PRICES", "list")

# Search: "database" (embedded default) or "elasticsearch".
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL", "")
SEARCH_BACKEND = env_str(
    "SEARCH_BACKEND", "elasticsearch" if ELASTICSEARCH_URL else "database"
)
ELASTICSEARCH_INDEX_PREFIX = env_str("ELASTICSEARCH_INDEX_PREFIX", "shop")

# Stripe (card payments). Base address is overridable so tests can point the real SDK
# at a local server.
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "")

# /health/ (`shop.health`): a task ready for longer than this is a backlog; a worker
# heartbeat older than this means no worker (or no scheduler) runs.
SHOP_HEALTH_BACKLOG_MINUTES = env_int("SHOP_HEALTH_BACKLOG_MINUTES", 5)
SHOP_HEALTH_HEARTBEAT_MINUTES = env_int("SHOP_HEALTH_HEARTBEAT_MINUTES", 3)

# Every record carries the request id (`shop.logs`); LOG_FORMAT=json for one JSON
# object per line (production's default).
LOG_FORMAT = env_str("LOG_FORMAT", "text")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "shop.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "shop.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            "formatter": LOG_FORMAT,
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # WeasyPrint reports every rendering step at INFO (even its import-time
    # stylesheets); fontTools likewise. Their warnings still show.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # APScheduler says "Running job" twice a minute at INFO; `shop.schedule`
        # logs each enqueue once. Its errors (a job that raised) still show.
        "apscheduler": {"level": "WARNING"},
    },
}


def dashboard_staff_only(user, url_name=None, url_args=None, url_kwargs=None):
    """Menu access for our own dashboard sections: Oscar's default access function
    only knows the URL names of Oscar's dashboard apps."""
    return user.is_active and user.is_staff


# Dashboard sections of our apps (each app appends its own entry below this line).
# (A new list, so Oscar's own defaults module is never changed in place.)
OSCAR_DASHBOARD_NAVIGATION = [*OSCAR_DASHBOARD_NAVIGATION]  # noqa: F405
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": _("Companies"),
        "icon": "fas fa-building",
        "url_name": "dashboard-companies:list",
        "access_fn": dashboard_staff_only,
    },
    # Mounted by our fork of Oscar's dashboard app, so Oscar's access function knows it.
    {"label": _("Leads"), "icon": "fas fa-inbox", "url_name": "dashboard:lead-list"},
]

# Orders and invoicing (Step 6): the order pipeline staff move orders along; a
# shipped order gets its delivery note; prepayment invoices are due in N days.
OSCAR_INITIAL_ORDER_STATUS = "Pending"
OSCAR_INITIAL_LINE_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending": ("Processing", "Cancelled"),
    "Processing": ("Shipped", "Cancelled"),
    "Shipped": ("Completed",),
    "Completed": (),
    "Cancelled": (),
}
INVOICING_SHIPPED_STATUSES = ("Shipped",)
INVOICING_PREPAYMENT_DAYS = env_int("INVOICING_PREPAYMENT_DAYS", 5)
# The longest a reservation may run, in working days (staff may set less per company).
RESERVATION_MAX_DAYS = env_int("RESERVATION_MAX_DAYS", 10)
INVOICING_RENDER_PDF_ON_COMMIT = True
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": _("Invoicing"),
        "icon": "fas fa-file-invoice",
        "url_name": "dashboard-invoicing:invoice-list",
        "access_fn": dashboard_staff_only,
    },
]
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": _("Prices"),
        "icon": "fas fa-tags",
        "url_name": "dashboard-pricing:lists",
        "access_fn": dashboard_staff_only,
    },
]
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": _("Imports and exports"),
        "icon": "fas fa-file-import",
        "access_fn": dashboard_staff_only,
        "children": [
            {
                "label": _("Catalogue import and export"),
                "url_name": "dashboard-catalog:import",
                "access_fn": dashboard_staff_only,
            },
            {
                "label": _("Jobs"),
                "url_name": "dashboard-catalog:jobs",
                "access_fn": dashboard_staff_only,
            },
        ],
    },
]
OSCAR_DASHBOARD_NAVIGATION += [
    {
        "label": _("Serial numbers"),
        "icon": "fas fa-barcode",
        "url_name": "dashboard-serials:index",
        "access_fn": dashboard_staff_only,
    },
]
