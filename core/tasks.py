"""Background tasks: enqueueing after the commit, and retrying with backoff.

django-tasks (Django's own tasks API, backend chosen in `TASKS`) has neither retries
nor a way to defer work to the commit, so both are written here once:
`background_task` is `django_tasks.task` plus a retry — a failure enqueues the same
call again with `run_after = now + TASKS_RETRY_DELAY × 4^(attempt − 1)` and the
attempt number in the `retry_attempt` keyword, up to `TASKS_RETRY_ATTEMPTS` attempts;
the failed attempt still ends failed (with its traceback) in the task results.
Tasks must be idempotent: a retry, a second worker or a staff "retry" may run one
call twice.
"""

import dataclasses
import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

RETRY_KWARG = "retry_attempt"


def retry_delay(attempt: int) -> timedelta:
    """The wait after the failed `attempt` (1, 2, ...): base × 4^(attempt − 1)."""
    return timedelta(seconds=settings.TASKS_RETRY_DELAY * 4 ** (attempt - 1))


def background_task(*, attempts: int | None = None, **task_options):
    """`@task(...)` whose failures are enqueued again with backoff (see the module).

    `attempts` defaults to `TASKS_RETRY_ATTEMPTS`; a backend that cannot defer (the
    immediate one) records the failure and does not retry."""

    def decorate(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            attempt = kwargs.pop(RETRY_KWARG, 1)
            try:
                return func(*args, **kwargs)
            except Exception as exc:
                try:
                    _retry_later(background, args, kwargs, attempt, attempts, exc)
                except Exception:  # the queue itself is down: the failure still shows
                    logger.exception("Task %s could not be enqueued again", func)
                raise

        background = task(**task_options)(run)
        return background

    return decorate


def _retry_later(background, args, kwargs, attempt, attempts, exc) -> None:
    limit = attempts or settings.TASKS_RETRY_ATTEMPTS
    name = background.name
    if attempt >= limit:
        logger.error(
            "Task %s failed (attempt %d of %d), given up: %r", name, attempt, limit, exc
        )
        return
    if not background.get_backend().supports_defer:
        logger.error(
            "Task %s failed, not retried (backend cannot defer): %r", name, exc
        )
        return
    run_after = timezone.now() + retry_delay(attempt)
    logger.warning(
        "Task %s failed (attempt %d of %d), retried after %s: %r",
        name,
        attempt,
        limit,
        run_after.isoformat(),
        exc,
    )
    background.using(run_after=run_after).enqueue(
        *args, **kwargs, **{RETRY_KWARG: attempt + 1}
    )


def enqueue_on_commit(background, /, *args, **kwargs) -> None:
    """Enqueue the task once the current transaction commits (at once outside one),
    so a worker never sees a task before the rows it works on."""
    transaction.on_commit(lambda: background.enqueue(*args, **kwargs))


def task_result_retry(*, result):
    """Enqueue the call of a (failed) stored task result again, now, with a fresh
    count of attempts; returns the new result."""
    kwargs = dict(result.args_kwargs["kwargs"])
    kwargs.pop(RETRY_KWARG, None)
    again = dataclasses.replace(result.task, run_after=timezone.now())
    return again.enqueue(*result.args_kwargs["args"], **kwargs)
