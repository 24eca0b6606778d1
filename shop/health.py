"""`/health/` (django-health-check): database, cache, storage and, where a worker is
configured (the database task backend), the queue's backlog and the worker heartbeat.

Anonymous callers (load balancers, uptime probes) may read it, so no message names a
host, a path or a setting: a failing check says only what failed; the details go to
the log (django-health-check logs every failure with its exception).
"""

import dataclasses
import datetime

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from health_check import checks
from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView

from shop.tasks import worker_heartbeat_last

DATABASE_TASK_BACKEND = "django_tasks_db.DatabaseBackend"


@dataclasses.dataclass
class Database(checks.Database):
    """The library's `SELECT 1`, without the driver's message (it names the host)."""

    def run(self):
        try:
            super().run()
        except ServiceUnavailable as exc:
            raise ServiceUnavailable("The database does not answer.") from exc


@dataclasses.dataclass
class QueueBacklog(HealthCheck):
    """Fails when more than `max_waiting` tasks have been ready to run for longer
    than `minutes`: the workers are down or cannot keep up."""

    minutes: int = 5
    max_waiting: int = 0

    def run(self):
        cutoff = timezone.now() - datetime.timedelta(minutes=self.minutes)
        waiting = (
            DBTaskResult.objects.ready()
            .filter(
                Q(run_after=get_date_max(), enqueued_at__lt=cutoff)
                | Q(run_after__lt=cutoff)
            )
            .count()
        )
        if waiting > self.max_waiting:
            raise ServiceUnavailable(
                f"{waiting} tasks have waited more than {self.minutes} minutes."
            )


@dataclasses.dataclass
class WorkerHeartbeat(HealthCheck):
    """Fails when no worker has run the scheduler's heartbeat task
    (`shop.tasks.worker_heartbeat`, every minute) for `minutes`."""

    minutes: int = 3

    def run(self):
        last = worker_heartbeat_last()
        if last is None:
            raise ServiceUnavailable("No worker heartbeat yet.")
        age = timezone.now() - last
        if age > datetime.timedelta(minutes=self.minutes):
            raise ServiceUnavailable(
                f"The last worker heartbeat is {int(age.total_seconds())} s old."
            )


def worker_expected() -> bool:
    """A worker runs the tasks (the database backend), not the request itself."""
    return settings.TASKS["default"]["BACKEND"] == DATABASE_TASK_BACKEND


WEB_CHECKS = [Database, checks.Cache, checks.Storage]


def health_checks() -> list:
    """Everything: what this web process needs, and the queue where one is used."""
    found = list(WEB_CHECKS)
    if worker_expected():
        found += [
            (QueueBacklog, {"minutes": settings.SHOP_HEALTH_BACKLOG_MINUTES}),
            (WorkerHeartbeat, {"minutes": settings.SHOP_HEALTH_HEARTBEAT_MINUTES}),
        ]
    return found


def health_view():
    """`/health/`: the whole installation (monitoring, CI, a deploy's last step)."""
    return HealthCheckView.as_view(checks=health_checks())


def health_web_view():
    """`/health/web/`: this web process and what it talks to, for the balancer's
    per-instance check; a stopped worker must not take every web process out."""
    return HealthCheckView.as_view(checks=WEB_CHECKS)
