"""Keeps the search index current: the products a transaction changed are re-indexed,
once each, by a background task (`search.tasks.products_reindex`) enqueued after it
commits.

A product's document holds its text (with its cross-references and its categories'
names) and what result lists filter and count on (its categories, whether it is in
stock and its list price; in Elasticsearch also the companies' own numbers), so
changes to those, and a category's new name, re-index their products too. Bulk
writers send `catalog.signals.products_changed`. An order placed for a company
records its products (`search.models.OrderedProduct`), which rank first among equals
for that company's buyers.
"""

import threading

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django_tasks import TaskResultStatus
from oscar.apps.order.signals import order_placed

from catalog.models import (
    Category,
    CompanyPartNumber,
    CrossReference,
    Product,
    ProductCategory,
)
from catalog.partner.models import StockRecord
from catalog.pricing.models import PriceListItem
from catalog.signals import products_changed
from search.models import OrderedProduct
from search.tasks import products_reindex

_pending = threading.local()
FLUSH_CHUNK = 1000  # products per index write (an import re-indexes thousands)


def schedule_reindex(product_ids) -> None:
    """Re-index these products when the current transaction commits (at once outside
    one). Ids gathered while a transaction runs are indexed together by its first
    commit callback; a rolled-back transaction's ids are only re-read needlessly."""
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    ids.update(pk for pk in product_ids if pk is not None)
    # robust: the change itself has committed; an index that cannot be written (the
    # search cluster is down) is retried by the task with backoff, and a task that
    # cannot even be enqueued is logged and its ids tried with the next commit, never
    # an error page for the buyer whose order went through.
    transaction.on_commit(_flush, robust=True)


def _flush() -> None:
    ids = getattr(_pending, "ids", None)
    if not ids:
        return
    batch = sorted(ids)
    ids.clear()
    for start in range(0, len(batch), FLUSH_CHUNK):
        chunk = batch[start : start + FLUSH_CHUNK]
        try:
            result = products_reindex.enqueue(product_ids=chunk)
        except Exception:
            ids.update(batch[start:])  # the next commit tries them again
            raise
        if result.status == TaskResultStatus.FAILED:
            # A backend that runs the task at once (immediate) has no queue to
            # retry it later: the next commit tries these ids again.
            ids.update(chunk)


@receiver(post_save, sender=Product, dispatch_uid="search_product_saved")
@receiver(post_delete, sender=Product, dispatch_uid="search_product_deleted")
def product_written(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_reindex([instance.pk])


@receiver(post_save, sender=StockRecord, dispatch_uid="search_stock_saved")
@receiver(post_delete, sender=StockRecord, dispatch_uid="search_stock_deleted")
@receiver(post_save, sender=ProductCategory, dispatch_uid="search_category_saved")
@receiver(post_delete, sender=ProductCategory, dispatch_uid="search_category_deleted")
@receiver(post_save, sender=CrossReference, dispatch_uid="search_crossref_saved")
@receiver(post_delete, sender=CrossReference, dispatch_uid="search_crossref_deleted")
@receiver(post_save, sender=PriceListItem, dispatch_uid="search_price_saved")
@receiver(post_delete, sender=PriceListItem, dispatch_uid="search_price_deleted")
@receiver(post_save, sender=CompanyPartNumber, dispatch_uid="search_own_saved")
@receiver(post_delete, sender=CompanyPartNumber, dispatch_uid="search_own_deleted")
def product_part_written(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_reindex([instance.product_id])


@receiver(post_save, sender=Category, dispatch_uid="search_category_renamed")
def category_written(sender, instance, created=False, raw=False, **kwargs):
    # Its name is part of its products' documents; a new category has none yet.
    if not raw and not created:
        schedule_reindex(
            ProductCategory.objects.filter(category=instance).values_list(
                "product_id", flat=True
            )
        )


@receiver(order_placed, dispatch_uid="search_order_placed")
def order_products_recorded(sender, order, **kwargs):
    """The products of an order placed for a company, in the order's transaction."""
    if getattr(order, "company_id", None) is None:
        return
    product_ids = {pk for pk in order.lines.values_list("product_id", flat=True) if pk}
    OrderedProduct.objects.bulk_create(
        [
            OrderedProduct(company_id=order.company_id, product_id=pk)
            for pk in product_ids
        ],
        ignore_conflicts=True,
    )


@receiver(m2m_changed, sender=Product.categories.through, dispatch_uid="search_m2m")
def product_categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:  # a category losing all its products
        schedule_reindex(
            ProductCategory.objects.filter(category=instance).values_list(
                "product_id", flat=True
            )
        )
    elif action in ("post_add", "post_remove", "post_clear"):
        schedule_reindex((pk_set or []) if reverse else [instance.pk])


@receiver(products_changed, dispatch_uid="search_products_changed")
def catalogue_changed(sender, product_ids, **kwargs):
    schedule_reindex(product_ids)
