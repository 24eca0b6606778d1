"""The search index's consistency job: products whose document is missing, left over
or stale, and those written lately, are indexed again.

The signals (`search.signals`) re-index a product after every commit that changes it;
a write whose index update failed is retried only with the next commit of the same
process. This job, run hourly by the scheduler (`shop.schedule`), closes that gap:
what the backend can tell is stale (`SearchBackend.stale_product_ids`) plus every
product or stock record written since `since` (the window overlaps the previous run).
"""

from datetime import datetime, timedelta

from catalog.cache import catalog_cache_bump
from catalog.models import Product
from catalog.partner.models import StockRecord
from search.backends import get_backend

RECENT = timedelta(hours=2)  # twice the schedule's period: a late run misses nothing
CHUNK = 1000


def search_index_reconcile(*, since: datetime) -> int:
    """Index again the stale products and those written since `since`; the number
    of products indexed."""
    backend = get_backend()
    ids = set(backend.stale_product_ids())
    ids.update(
        Product.objects.filter(date_updated__gte=since).values_list("pk", flat=True)
    )
    ids.update(
        StockRecord.objects.filter(date_updated__gte=since).values_list(
            "product_id", flat=True
        )
    )
    batch = sorted(ids)
    for start in range(0, len(batch), CHUNK):
        backend.index_products(product_ids=batch[start : start + CHUNK])
    if batch:
        catalog_cache_bump()
    return len(batch)
