"""The scheduled jobs, all in one place, and how the scheduler process runs them.

Each job only enqueues a django-tasks task; a worker (`manage.py db_worker`) does the
work, so a slow job never delays the next one and a failed run is a failed task like
any other. Exactly one scheduler runs (`manage.py run_scheduler`): it holds the
scheduler lock (`scheduler_lock`) for its whole life, and a second one exits or, with
`--wait`, stands by until the lock is free. The tasks are idempotent anyway, so a run
twice (a restart) changes nothing more.
APScheduler keeps its jobs in memory: runs missed while the scheduler was down are not
caught up, which is why the jobs that matter run once at start (`at_start`).

Later features add their jobs (reservation expiry, quote expiry, ...) as one more
`Job` line in `JOBS`, next to the others.
"""

import fcntl
import hashlib
import logging
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
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
    Job(
        name="catalog-jobs-clean",
        task="catalog.importing.jobs.catalog_jobs_clean_task",
        trigger=_daily(3, 40),
        description="files of import/export jobs older than 14 days removed; "
        "jobs left running by a dead worker marked failed",
    ),
    Job(
        name="reservations-expire",
        task="sales.reservations.tasks.reservations_expire_task",
        trigger=CronTrigger(minute=1, timezone=settings.TIME_ZONE),
        at_start=True,
        description="reservations past their end release their stock (unpaid "
        "invoice cancelled by a credit note); the day before, the buyer is told",
    ),
    Job(
        name="document-bundles-expire",
        task="cabinet.documents.tasks.document_bundles_expire_task",
        trigger=_daily(3, 50),
        description="ZIP bundles of the document archive past their 3 days removed",
    ),
    Job(
        name="api-idempotency-purge",
        task="shop.tasks.idempotent_requests_purge_task",
        trigger=_daily(4, 10),
        description="answers kept for API Idempotency-Keys past their hours forgotten",
    ),
    # Expiry jobs of later features go here, e.g.
    # Job(name="quotes-expire", task="...tasks.quotes_expire",
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


# --- one scheduler --------------------------------------------------------------------

LOCK_NAME = "shop.schedule"
LOCK_CHECK_SECONDS = 30  # how often the running scheduler checks it still holds it
LOCK_POLL_SECONDS = 5  # how often a standby (`--wait`) tries to take it


class SchedulerLock:
    """The lock the one running scheduler holds for its whole life."""

    def acquire(self) -> bool:
        """Take the lock if it is free (never waits); True when it is ours now."""
        raise NotImplementedError

    def held(self) -> bool:
        """Whether it is still ours."""
        raise NotImplementedError

    def release(self) -> None:
        raise NotImplementedError


class AdvisoryLock(SchedulerLock):
    """PostgreSQL: a session-level advisory lock (`pg_try_advisory_lock`), per
    database, on a connection of its own: Django's connections are closed and
    reopened between jobs (`_connections_refresh`), which would drop it. The lock
    lives as long as the session, so a scheduler that dies or loses its connection
    frees it at once; the one running checks its session every
    `LOCK_CHECK_SECONDS` and stops if it is gone."""

    KEY = int.from_bytes(
        hashlib.sha256(LOCK_NAME.encode()).digest()[:8], "big", signed=True
    )

    def __init__(self, alias: str = DEFAULT_DB_ALIAS):
        self.alias = alias
        self.connection = None

    def acquire(self) -> bool:
        if self.connection is not None:
            return True
        conn = connections.create_connection(self.alias)
        conn.inc_thread_sharing()  # checked from the scheduler's job thread
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [self.KEY])
                (got,) = cursor.fetchone()
        except BaseException:
            conn.close()
            raise
        if got:
            self.connection = conn
        else:
            conn.close()
        return bool(got)

    def held(self) -> bool:
        if self.connection is None:
            return False
        try:
            with self.connection.cursor() as cursor:
                cursor.execute("SELECT 1")  # the session lives: so does its lock
                cursor.fetchone()
        except DatabaseError:
            return False
        return True

    def release(self) -> None:
        conn, self.connection = self.connection, None
        if conn is None:
            return
        try:
            with conn.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [self.KEY])
        except DatabaseError:
            pass  # the session is gone, and its lock with it
        finally:
            conn.close()


class FileLock(SchedulerLock):
    """SQLite (one machine by construction): `flock` on a file under VAR_DIR; the
    kernel frees it when the process ends, however it ends."""

    def __init__(self, path=None):
        self.path = path or settings.VAR_DIR / "scheduler.lock"
        self.fd = None

    def acquire(self) -> bool:
        if self.fd is not None:
            return True
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        self.fd = fd
        return True

    def held(self) -> bool:
        return self.fd is not None

    def release(self) -> None:
        fd, self.fd = self.fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor drops the lock


LOCKS: dict[str, type[SchedulerLock]] = {"postgresql": AdvisoryLock, "sqlite": FileLock}


def scheduler_lock() -> SchedulerLock:
    """The scheduler lock for the default database's vendor (chosen here, once)."""
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    try:
        return LOCKS[vendor]()
    except KeyError:
        raise ImproperlyConfigured(
            f"run_scheduler needs PostgreSQL or SQLite for its lock, not {vendor!r}."
        ) from None
