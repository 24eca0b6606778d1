"""One scheduler at a time: `run_scheduler` holds a lock for its whole life (an
advisory lock on PostgreSQL, a file lock on SQLite); a second one exits with a
message or, with `--wait`, stands by and takes over when the first stops, so each
job is enqueued by one scheduler only."""

import selectors
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from shop.management.commands import run_scheduler
from shop.schedule import JOBS, AdvisoryLock, FileLock, scheduler_lock
from tests.workers import ROOT, needs_shared_database, restore_migrated, worker_env

STARTUP_TIMEOUT = 120  # seconds for a scheduler process to start on a busy machine


@pytest.fixture
def lock_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path  # the SQLite lock file lives there
    return tmp_path


def test_the_lock_is_taken_once_until_released(db, lock_dir):
    first, second = scheduler_lock(), scheduler_lock()
    expected = AdvisoryLock if connection.vendor == "postgresql" else FileLock
    assert type(first) is expected
    try:
        assert first.acquire()
        assert first.held()
        assert not second.acquire()
        assert not second.held()
        first.release()
        assert not first.held()
        assert second.acquire()
    finally:
        first.release()
        second.release()


def test_a_second_scheduler_exits_with_a_message(db, lock_dir):
    running = scheduler_lock()
    assert running.acquire()
    try:
        with pytest.raises(CommandError) as refused:
            call_command("run_scheduler")
    finally:
        running.release()
    assert "Another scheduler is running" in str(refused.value)
    assert "--wait" in str(refused.value)


class LostLock:
    """Taken, then lost (its database session ended)."""

    def acquire(self):
        return True

    def held(self):
        return False

    def release(self):
        pass


def test_a_scheduler_that_loses_its_lock_stops(db, monkeypatch):
    monkeypatch.setattr(run_scheduler, "scheduler_lock", LostLock)
    monkeypatch.setattr(run_scheduler, "schedule_install", lambda scheduler: None)
    monkeypatch.setattr(run_scheduler, "LOCK_CHECK_SECONDS", 0.05)
    with pytest.raises(CommandError, match="The scheduler lock was lost"):
        call_command("run_scheduler")


# --- two real scheduler processes against one database (PostgreSQL) ------------------

# The daily job, also run at start: within a test, only a scheduler's start enqueues it
# (the every-minute jobs may run again while the processes start on a busy machine).
DAILY = next(job.task for job in JOBS if job.name == "invoices-mark-overdue")


def _scheduler(env, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "manage.py", "run_scheduler", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _read_until(process, text: str) -> str:
    """The process's output up to the line containing `text` (fails on timeout)."""
    seen = []
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if not selector.select(timeout=1):
                continue
            line = process.stdout.readline()
            if not line and process.poll() is not None:
                break
            seen.append(line)
            if text in line:
                return "".join(seen)
    pytest.fail(f"no {text!r} from the scheduler:\n{''.join(seen)}")


def _enqueued() -> int:
    return DBTaskResult.objects.filter(task_path=DAILY).count()


def _wait_for(expected: int) -> int:
    deadline = time.monotonic() + 30
    while (found := _enqueued()) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


def _stop(process) -> str:
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=30)
    return output


@pytest.fixture(scope="module")
def restore_after(django_db_setup, django_db_blocker):
    yield
    restore_migrated(django_db_blocker)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_scheduler_processes_enqueue_each_job_once(restore_after, tmp_path):
    needs_shared_database()
    env = worker_env(media_root=tmp_path / "media", mail_dir=tmp_path / "mail")
    first = _scheduler(env)
    try:
        _read_until(first, "scheduler: ")
        assert _wait_for(1) == 1

        # A second one, started while the first runs: refused, nothing enqueued.
        second = subprocess.run(
            [sys.executable, "manage.py", "run_scheduler"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=STARTUP_TIMEOUT,
        )
        assert second.returncode == 1
        assert "Another scheduler is running" in second.stderr
        # A standby waits for the lock...
        standby = _scheduler(env, "--wait")
        try:
            _read_until(standby, "waiting for its lock")
            assert _enqueued() == 1  # still once

            # ... and takes over when the first stops.
            _stop(first)
            assert first.returncode == 0
            _read_until(standby, "scheduler: ")
            assert _wait_for(2) == 2  # the standby's own start
        finally:
            _stop(standby)
    finally:
        if first.poll() is None:
            _stop(first)
