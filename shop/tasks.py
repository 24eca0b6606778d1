"""Background tasks of the site itself (django-tasks): the worker's heartbeat."""

from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

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
