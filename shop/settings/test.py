"""Test settings: fast hashing, in-memory e-mail, no outside services."""

from shop.settings.base import *  # noqa: F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The memory cache outlives each test's rolled-back database: pages and listings are
# cached only in the tests of the caches (tests/site/test_page_cache.py).
SHOP_PAGE_CACHE_SECONDS = 0
SHOP_LISTING_CACHE_SECONDS = 0
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,  # noqa: F405 (tests/conftest.py moves it to tmp_path)
}
WHITENOISE_AUTOREFRESH = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
