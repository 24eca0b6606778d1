"""`manage.py run_scheduler`: the one scheduler process (APScheduler) that enqueues
the jobs of `shop.schedule`; `--list` prints them. It holds the scheduler lock while
it runs: a second one exits with a message, or with `--wait` stands by and takes over
when the first stops."""

import signal
import sys
import time

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shop.schedule import (
    LOCK_CHECK_SECONDS,
    LOCK_POLL_SECONDS,
    schedule_install,
    schedule_lines,
    scheduler_lock,
)

LOCK_HELD = (
    "Another scheduler is running (it holds the scheduler lock): this one exits. "
    "Run exactly one; --wait stands by until the running one stops."
)
LOCK_LOST = (
    "The scheduler lock was lost (its database session ended): stopped, so that "
    "no two schedulers enqueue the same jobs."
)


def _stop(signum, frame):
    sys.exit(0)  # unwinds BlockingScheduler.start(); the finally below shuts it down


class Command(BaseCommand):
    help = "Run the scheduler that enqueues the scheduled jobs (run exactly one)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="print the jobs and exit"
        )
        parser.add_argument(
            "--wait",
            action="store_true",
            help="if another scheduler runs, wait for it to stop instead of exiting",
        )

    def handle(self, *args, list=False, wait=False, **options):
        if list:
            for line in schedule_lines():
                self.stdout.write(line)
            return
        signal.signal(signal.SIGTERM, _stop)
        lock = scheduler_lock()
        try:
            if not self._lock_take(lock, wait=wait):
                return
            lost = self._run(lock)
        finally:
            lock.release()
        if lost:
            raise CommandError(LOCK_LOST)

    def _lock_take(self, lock, *, wait: bool) -> bool:
        if lock.acquire():
            return True
        if not wait:
            raise CommandError(LOCK_HELD)
        self._say("scheduler: another scheduler is running; waiting for its lock")
        try:
            while not lock.acquire():
                time.sleep(LOCK_POLL_SECONDS)
        except (KeyboardInterrupt, SystemExit):
            return False
        return True

    def _run(self, lock) -> bool:
        """Run the jobs until stopped; True when it stopped for a lost lock."""
        # Jobs only enqueue: one thread is plenty, and keeps one database connection.
        scheduler = BlockingScheduler(
            executors={"default": ThreadPoolExecutor(1)}, timezone=settings.TIME_ZONE
        )
        schedule_install(scheduler)
        lost = []

        def lock_check():
            if not lock.held():
                lost.append(True)
                scheduler.shutdown(wait=False)

        scheduler.add_job(
            lock_check,
            IntervalTrigger(seconds=LOCK_CHECK_SECONDS),
            id="scheduler-lock-check",
            coalesce=True,
            max_instances=1,
        )
        self._say(f"scheduler: {len(scheduler.get_jobs()) - 1} jobs")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)
        return bool(lost)

    def _say(self, text: str) -> None:
        self.stdout.write(text)
        self.stdout.flush()
