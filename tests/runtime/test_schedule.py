"""The scheduled jobs: one list, printed by `run_scheduler --list`, each job a task;
the overdue job, run by APScheduler itself, marks an overdue invoice."""

from datetime import datetime, timedelta
from io import StringIO

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
from apscheduler.executors.debug import DebugExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task

from invoicing.models import Invoice, InvoiceStatus
from shop.schedule import JOBS, job_enqueue, schedule_install
from shop.tasks import HEARTBEAT_KEY
from tests.factories import CompanyFactory
from tests.invoicing.factories import SellerEntityFactory, invoice_make


class KeptJobs(MemoryJobStore):
    """Keeps its jobs when the scheduler shuts down, so that a listener may stop the
    loop while it is still handling the job that just ran."""

    def shutdown(self):
        pass


def _job(name: str):
    return next(job for job in JOBS if job.name == name)


def test_run_scheduler_list_prints_every_job():
    out = StringIO()
    call_command("run_scheduler", "--list", stdout=out)

    rows = [line.split("\t") for line in out.getvalue().splitlines()]
    assert [row[0] for row in rows] == [
        "invoices-mark-overdue",
        "pages-publish-scheduled",
        "search-index-reconcile",
        "worker-heartbeat",
        "catalog-jobs-clean",
        "reservations-expire",
        "document-bundles-expire",
        "api-idempotency-purge",
    ]
    assert [row[2] for row in rows] == [job.task for job in JOBS]
    assert rows[0][1] == "cron[hour='0', minute='5'] + at start"
    assert rows[1][1] == "interval[0:01:00]"


def test_every_job_enqueues_a_task_with_no_arguments():
    for job in JOBS:
        task = import_string(job.task)
        assert isinstance(task, Task), job.name
        assert task.module_path == job.task


def test_the_periods():
    def gaps(name):
        trigger = _job(name).trigger
        first = trigger.get_next_fire_time(None, datetime.now(trigger.timezone))
        second = trigger.get_next_fire_time(first, first + timedelta(seconds=1))
        return second - first

    assert gaps("invoices-mark-overdue") == timedelta(days=1)
    assert gaps("pages-publish-scheduled") == timedelta(minutes=1)
    assert gaps("search-index-reconcile") == timedelta(hours=1)
    assert gaps("worker-heartbeat") == timedelta(minutes=1)
    assert gaps("catalog-jobs-clean") == timedelta(days=1)


def test_the_scheduler_runs_the_overdue_job(db, django_capture_on_commit_callbacks):
    """APScheduler's own loop fires the configured job now (the debug executor runs
    it in this thread, inside the test's transaction); the immediate task backend
    runs the task it enqueues."""
    SellerEntityFactory()
    company = CompanyFactory(email="accounts@alpha.example")
    late, current = invoice_make(company=company), invoice_make(company=company)
    Invoice.objects.filter(pk=late.pk).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    scheduler = BlockingScheduler(
        jobstores={"default": KeptJobs()},
        executors={"default": DebugExecutor()},
        timezone=settings.TIME_ZONE,
    )
    schedule_install(scheduler, jobs=[_job("invoices-mark-overdue")])
    scheduler.modify_job("invoices-mark-overdue", next_run_time=timezone.now())
    events = []

    def stop(event):
        events.append(event)
        scheduler.shutdown(wait=False)

    scheduler.add_listener(stop, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)
    with django_capture_on_commit_callbacks(execute=True):
        scheduler.start()

    assert [(e.job_id, e.exception) for e in events] == [
        ("invoices-mark-overdue", None)
    ]
    assert dict(Invoice.objects.values_list("pk", "status")) == {
        late.pk: InvoiceStatus.OVERDUE,
        current.pk: InvoiceStatus.ISSUED,
    }
    assert [m.to for m in mail.outbox] == [["accounts@alpha.example"]]


def test_every_job_runs_through_the_schedulers_function(db):
    """Each job enqueued as the scheduler does (the immediate backend runs it)."""
    cache.delete(HEARTBEAT_KEY)
    for job in JOBS:
        assert job_enqueue(job.task)
    assert cache.get(HEARTBEAT_KEY)
