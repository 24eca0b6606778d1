"""The catalogue's cache version: every page or listing cached from products, stock or
prices is stored under it, and every write to them moves it on after commit, so the
next request reads them anew (`shop.cache`, `search.selectors`).

Writes through the ORM are seen by model signals on the apps that hold the catalogue
(`catalogue`, `partner` for stock, `pricing`); bulk writers send
`catalog.signals.products_changed` or call `catalog_cache_bump()` themselves.
"""

import threading
import time

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from catalog.signals import products_changed

VERSION_KEY = "catalog:cache-version"
WATCHED_APPS = frozenset({"catalogue", "partner", "pricing"})

_pending = threading.local()


def catalog_cache_version() -> int:
    """The current version. A new one starts from the clock (microseconds), so a
    version lost with the cache (an eviction, a restarted Redis) never comes back to
    a number whose entries may still be stored."""
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns() // 1000
        if not cache.add(VERSION_KEY, version, timeout=None):
            version = cache.get(VERSION_KEY) or version
    return version


def catalog_cache_bump() -> None:
    """Move the version on when the current transaction commits (at once outside
    one); a rolled-back change leaves at most one needless bump behind."""
    _pending.dirty = True
    transaction.on_commit(_bump, robust=True)


def _bump() -> None:
    if not getattr(_pending, "dirty", False):
        return  # this transaction's earlier callback already did
    _pending.dirty = False
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version stored: a new one is newer than any before
        cache.set(VERSION_KEY, time.time_ns() // 1000, timeout=None)


def catalogue_written(sender, raw=False, **kwargs):
    if not raw:
        catalog_cache_bump()


@receiver(products_changed, dispatch_uid="catalog_cache_products_changed")
def catalogue_bulk_written(sender, **kwargs):
    catalog_cache_bump()


def catalog_cache_watch() -> None:
    """Connect `catalogue_written` to every model of the watched apps (from
    `CatalogueConfig.ready`). Per model, never to all senders: a delete receiver for
    every model would stop Django's fast deletes everywhere."""
    for label in sorted(WATCHED_APPS):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            name = f"catalog_cache_{model._meta.label_lower}"
            post_save.connect(catalogue_written, sender=model, dispatch_uid=name)
            post_delete.connect(catalogue_written, sender=model, dispatch_uid=name)
            m2m_changed.connect(catalogue_written, sender=model, dispatch_uid=name)
