"""`manage.py run_scheduler`: the one scheduler process (APScheduler) that enqueues
the jobs of `shop.schedule`; `--list` prints them."""

import signal
import sys

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from django.conf import settings
from django.core.management.base import BaseCommand

from shop.schedule import schedule_install, schedule_lines


def _stop(signum, frame):
    sys.exit(0)  # unwinds BlockingScheduler.start(); the finally below shuts it down


class Command(BaseCommand):
    help = "Run the scheduler that enqueues the scheduled jobs (run exactly one)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--list", action="store_true", help="print the jobs and exit"
        )

    def handle(self, *args, list=False, **options):
        if list:
            for line in schedule_lines():
                self.stdout.write(line)
            return
        # Jobs only enqueue: one thread is plenty, and keeps one database connection.
        scheduler = BlockingScheduler(
            executors={"default": ThreadPoolExecutor(1)}, timezone=settings.TIME_ZONE
        )
        schedule_install(scheduler)
        signal.signal(signal.SIGTERM, _stop)
        self.stdout.write(f"scheduler: {len(scheduler.get_jobs())} jobs")
        self.stdout.flush()
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)
