"""Visitors' product page views, counted cheaply: in the web process's memory, added to
Oscar's analytics (`ProductRecord.num_views`) in a few statements at most every
FLUSH_SECONDS (or once FLUSH_PRODUCTS products are waiting), not one write per page.
A process that dies loses at most those seconds of its counts."""

import logging
import threading
import time
from collections import Counter, defaultdict

from django.db import DatabaseError, transaction
from django.db.models import F
from oscar.apps.analytics.models import ProductRecord

from catalog.models import Product

logger = logging.getLogger(__name__)

FLUSH_SECONDS = 30
FLUSH_PRODUCTS = 500

_lock = threading.Lock()
_counts: Counter = Counter()
_flushed_at = [time.monotonic()]


def product_view_count(*, product_id: int) -> None:
    """Count one view of the product; write the counts waiting when they are due."""
    with _lock:
        _counts[product_id] += 1
        due = (
            len(_counts) >= FLUSH_PRODUCTS
            or time.monotonic() - _flushed_at[0] >= FLUSH_SECONDS
        )
    if due:
        product_views_flush()


def product_views_flush() -> int:
    """Add the views counted so far to the products' records; the number of views
    written. Counts that cannot be written wait for the next flush."""
    with _lock:
        counts = dict(_counts)
        _counts.clear()
        _flushed_at[0] = time.monotonic()
    if not counts:
        return 0
    try:
        _record(counts)
    except DatabaseError:
        logger.warning("product views not recorded yet", exc_info=True)
        with _lock:
            _counts.update(counts)
        return 0
    return sum(counts.values())


def _record(counts: dict[int, int]) -> None:
    """One insert of the missing records, then one UPDATE per distinct count (most
    products are seen once or twice between flushes); `F()` increments, so two
    processes flushing at once both count."""
    by_count: dict[int, list[int]] = defaultdict(list)
    known = set(Product.objects.filter(pk__in=counts).values_list("pk", flat=True))
    for pk in known:
        by_count[counts[pk]].append(pk)
    with transaction.atomic():
        ProductRecord.objects.bulk_create(
            [ProductRecord(product_id=pk) for pk in sorted(known)],
            ignore_conflicts=True,
        )
        for n, pks in sorted(by_count.items()):
            ProductRecord.objects.filter(product_id__in=pks).update(
                num_views=F("num_views") + n
            )
