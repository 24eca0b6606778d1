"""Background tasks of search: writing the index for products that changed."""

from django.utils import timezone

from catalog.cache import catalog_cache_bump
from core.tasks import background_task
from search.backends import get_backend
from search.consistency import RECENT, search_index_reconcile


@background_task()
def products_reindex(*, product_ids: list[int]) -> int:
    """Re-index these products on the configured backend (a product that is gone or
    no longer browsable leaves the index); idempotent, so a retry is harmless.
    Listings cached from the index before it was written are dropped with the
    version (`catalog.cache`)."""
    get_backend().index_products(product_ids=product_ids)
    catalog_cache_bump()
    return len(product_ids)


@background_task()
def search_index_reconcile_recent() -> int:
    """Scheduled hourly (`shop.schedule`): index again what the index lacks or has
    stale, and what was written lately (`search.consistency`)."""
    return search_index_reconcile(since=timezone.now() - RECENT)
