"""The scheduled jobs, all in one place, and how the scheduler process runs them.

Each job only enqueues a django-tasks task; a worker (`manage.py db_worker`) does the
work, so a slow job never delays the next one and a failed run is a failed task like
any other. Exactly one scheduler runs (`manage.py run_scheduler`); the tasks are
idempotent anyway, so a run twice (two schedulers, a restart) changes nothing more.
APScheduler keeps its jobs in memory: runs missed while the scheduler was down are not
caught up, which is why the jobs that matter run once at start (`at_start`).

Later features add their jobs (reservation expiry, quote expiry, ...) as one more
`Job` line in `JOBS`, next to the others.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import connections
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task, enqueued with no arguments
    trigger: BaseTrigger
    at_start: bool = False  # also enqueue when the scheduler starts
    description: str = ""


def _daily(hour: int, minute: int) -> CronTrigger:
    return CronTrigger(hour=hour, minute=minute, timezone=settings.TIME_ZONE)


def _every(**period) -> IntervalTrigger:
    return IntervalTrigger(**period, timezone=settings.TIME_ZONE)


JOBS: list[Job] = [
    Job(
        name="invoices-mark-overdue",
        task="invoicing.tasks.mark_overdue_invoices",
        trigger=_daily(0, 5),
        at_start=True,
        description="unpaid invoices past their due date become overdue (e-mails)",
    ),
    Job(
        name="pages-publish-scheduled",
        task="content.tasks.publish_scheduled_pages",
        trigger=_every(minutes=1),
        description="Wagtail's publish_scheduled: go-live and expiry of pages",
    ),
    Job(
        name="search-index-reconcile",
        task="search.tasks.search_index_reconcile_recent",
        trigger=CronTrigger(minute=17, timezone=settings.TIME_ZONE),
        at_start=True,
        description="re-index products whose document is missing or stale",
    ),
    Job(
        name="worker-heartbeat",
        task="shop.tasks.worker_heartbeat",
        trigger=_every(minutes=1),
        at_start=True,
        description="a worker stamps the time in the cache; /health/ reads it",
    ),
    # Expiry jobs of later features go here, e.g.
    # Job(name="reservations-expire", task="...tasks.reservations_release_expired",
    #     trigger=_every(minutes=5), at_start=True, description="..."),
]


def _connections_refresh() -> None:
    """What Django does around a request: drop connections that broke or outlived
    CONN_MAX_AGE (the scheduler runs for days); never one inside a transaction."""
    for conn in connections.all(initialized_only=True):
        if not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def job_enqueue(task_path: str) -> str:
    """What the scheduler runs: enqueue the task (a worker runs it) and say so."""
    _connections_refresh()
    try:
        result = import_string(task_path).enqueue()
    finally:
        _connections_refresh()
    logger.info("enqueued %s as %s", task_path, result.id)
    return result.id


def schedule_install(scheduler: BaseScheduler, *, jobs=None) -> None:
    """Add the jobs (all of `JOBS` unless told) to an APScheduler scheduler."""
    now = datetime.now(scheduler.timezone)
    for job in JOBS if jobs is None else jobs:
        options = {"next_run_time": now} if job.at_start else {}
        scheduler.add_job(
            job_enqueue,
            trigger=job.trigger,
            args=[job.task],
            id=job.name,
            name=job.name,
            # Missed runs (a busy machine, a slow enqueue) collapse into one; a run
            # late by more than its grace is skipped until the next fire time.
            coalesce=True,
            max_instances=1,
            misfire_grace_time=int(timedelta(minutes=5).total_seconds()),
            **options,
        )


def schedule_lines() -> list[str]:
    """One line per job: name, trigger, task, what it does (`run_scheduler --list`)."""
    return [
        "\t".join(
            [
                job.name,
                str(job.trigger) + (" + at start" if job.at_start else ""),
                job.task,
                job.description,
            ]
        )
        for job in JOBS
    ]
