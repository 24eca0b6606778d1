"""Background tasks of the site itself (django-tasks): the worker's heartbeat and
forgetting old API idempotency keys."""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from core.idempotency import idempotent_requests_purge

HEARTBEAT_KEY = "shop:worker-heartbeat"


@task()
def worker_heartbeat() -> str:
    """Enqueued every minute by the scheduler and run by whichever worker is free:
    the time it ran, in the cache, is what `/health/` reads (`shop.health`). An old
    or missing stamp means no worker runs, or no scheduler enqueues."""
    now = timezone.now().isoformat()
    cache.set(HEARTBEAT_KEY, now, timeout=None)
    return now


def worker_heartbeat_last() -> datetime | None:
    stamp = cache.get(HEARTBEAT_KEY)
    return datetime.fromisoformat(stamp) if stamp else None


@task()
def idempotent_requests_purge_task() -> int:
    """The kept answers of API requests sent with an Idempotency-Key, past their
    SHOP_API_IDEMPOTENCY_HOURS (`core.idempotency`)."""
    return idempotent_requests_purge()
