"""Keeps the search index current: products re-index after the transaction commits."""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from catalog.models import Product


def _reindex(product_ids):
    from search.backends import get_backend

    get_backend().index_products(product_ids=product_ids)


@receiver(post_save, sender=Product, dispatch_uid="search_product_saved")
def product_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    pk = instance.pk
    transaction.on_commit(lambda: _reindex([pk]))


@receiver(post_delete, sender=Product, dispatch_uid="search_product_deleted")
def product_deleted(sender, instance, **kwargs):
    pk = instance.pk
    transaction.on_commit(lambda: _reindex([pk]))
