"""Tasks that exist only for the tests of the queue (a worker subprocess imports
them by their path)."""

import os
import time

from django.core.cache import cache

from core.models import SentMail
from core.tasks import background_task


@background_task()
def record_run(*, number: int, seconds: float = 0.0) -> int:
    """One row per run (a unique key each time): a task run twice leaves two."""
    time.sleep(seconds)
    SentMail.objects.create(
        key=f"run:{number}:{os.getpid()}:{time.monotonic_ns()}",
        to=str(os.getpid()),
        subject=f"run {number}",
    )
    return os.getpid()


@background_task(attempts=3)
def flaky(*, name: str, failures: int) -> int:
    """Fails its first `failures` runs (counted in the cache), then succeeds."""
    runs = cache.get_or_set(f"flaky:{name}", 0)
    cache.set(f"flaky:{name}", runs + 1)
    if runs < failures:
        raise ConnectionError(f"{name}: failure {runs + 1}")
    return runs + 1
