"""Production: everything secret or host-specific must come from the environment."""

from shop.sentry import sentry_init
from shop.settings.base import *  # noqa: F401,F403
from shop.settings.base import DATABASES
from shop.settings.env import env_bool, env_int, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")  # no default: refuse to start without one

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    "private": PRIVATE_STORAGE,  # noqa: F405 (base: SHOP_PRIVATE_ROOT, no URL)
}

# HTTPS everywhere by default. SHOP_HTTPS=0 is for a production-like run over plain
# http on one's own machine (`make serve`): without it a browser drops the Secure
# session and CSRF cookies on http://127.0.0.1 and nobody can sign in.
SHOP_HTTPS = env_bool("SHOP_HTTPS", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", SHOP_HTTPS)
# The load balancer probes the instances over plain http.
SECURE_REDIRECT_EXEMPT = [r"^health/(web/)?$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000) if SHOP_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SHOP_HTTPS
SECURE_HSTS_PRELOAD = SHOP_HTTPS
SESSION_COOKIE_SECURE = SHOP_HTTPS
CSRF_COOKIE_SECURE = SHOP_HTTPS
OSCAR_BASKET_COOKIE_SECURE = SHOP_HTTPS
OSCAR_RECENTLY_VIEWED_COOKIE_SECURE = SHOP_HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
OSCAR_URL_SCHEMA = "https" if SHOP_HTTPS else "http"

# Cache and sessions in Redis, shared by every web process (a process's own memory
# would log a user out whenever the balancer picks another one). Sessions may live
# in a Redis of their own that never evicts (REDIS_SESSIONS_URL; docs/DEPLOY.md).
REDIS_URL = env_str("REDIS_URL")
_REDIS_OPTIONS = {"socket_connect_timeout": 2, "socket_timeout": 2}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "cache",
        "OPTIONS": _REDIS_OPTIONS,
    },
    "sessions": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("REDIS_SESSIONS_URL", REDIS_URL),
        "KEY_PREFIX": "session",
        "OPTIONS": _REDIS_OPTIONS,
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
SESSION_CACHE_ALIAS = "sessions"

LOGGING["root"]["level"] = env_str("LOG_LEVEL", "INFO")  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = env_str("LOG_FORMAT", "json")  # noqa: F405

# Errors to Sentry only when a DSN is given.
SENTRY_DSN = env_str("SENTRY_DSN", "")
if SENTRY_DSN:
    sentry_init(
        dsn=SENTRY_DSN,
        environment=env_str("SENTRY_ENVIRONMENT", "production"),
        release=env_str("SENTRY_RELEASE", ""),
        traces_sample_rate=float(env_str("SENTRY_TRACES_SAMPLE_RATE", "0")),
    )

# Keep database connections between requests (a new PostgreSQL connection costs
# 30–60 ms); the health check drops one the server closed.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
