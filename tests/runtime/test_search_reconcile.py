"""The hourly search consistency job: products the index lacks, has stale or that
were written lately are indexed again; then the backend reports nothing stale."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from catalog.models import Product
from search.backends import get_backend
from search.consistency import search_index_reconcile
from search.tasks import search_index_reconcile_recent
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def test_products_missing_from_the_index_are_indexed_again():
    # No commit in a test: the signals' after-commit indexing never ran.
    products = [ProductFactory(title=f"Ремень клиновой {n}") for n in range(3)]
    backend = get_backend()
    assert set(backend.stale_product_ids()) >= {p.pk for p in products}

    # A window in the future: only what the backend finds stale is indexed.
    count = search_index_reconcile(since=timezone.now() + timedelta(hours=1))

    assert count >= 3
    assert backend.stale_product_ids() == []
    assert {h.product for h in backend.search(query="ремень").hits} == set(products)


def test_a_document_out_of_date_is_found_and_rewritten(postgres_only):
    product = ProductFactory(title="Подшипник 6205")
    search_index_reconcile(since=timezone.now())
    # Written behind the signals' back (a bulk UPDATE, no date_updated).
    Product.objects.filter(pk=product.pk).update(title="Сальник 6205")
    backend = get_backend()
    assert backend.stale_product_ids() == [product.pk]

    search_index_reconcile(since=timezone.now() + timedelta(hours=1))

    assert backend.stale_product_ids() == []
    assert [h.product for h in backend.search(query="сальник").hits] == [product]


def test_rows_of_deleted_products_are_dropped_on_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL documents go with their product (cascade)")
    product = ProductFactory(title="Шкив 100")
    search_index_reconcile(since=timezone.now())
    pk = product.pk
    with connection.cursor() as cursor:  # the product goes, its FTS row stays
        cursor.execute("DELETE FROM catalogue_product WHERE id = %s", [pk])
    assert get_backend().stale_product_ids() == [pk]

    search_index_reconcile(since=timezone.now())

    assert get_backend().stale_product_ids() == []


def test_the_scheduled_task_indexes_what_was_written_in_the_last_hours():
    product = ProductFactory(title="Муфта упругая")
    search_index_reconcile(since=timezone.now() + timedelta(hours=1))
    Product.objects.filter(pk=product.pk).update(
        date_updated=timezone.now() - timedelta(minutes=30)
    )
    result = search_index_reconcile_recent.enqueue()
    assert result.return_value == 1
