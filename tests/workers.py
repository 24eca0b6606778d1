"""Running the task queue in tests: the real `manage.py db_worker` in subprocesses
against the test database (PostgreSQL only: SQLite's test database lives in this
process's memory), or the worker's task runner in this process (`tasks_run`, both
engines, inside the test's transaction)."""

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

ROOT = Path(__file__).resolve().parent.parent
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
WORKER_TIMEOUT = 180  # seconds; a worker that hangs fails the test instead


def database_url() -> str:
    """The URL of the test database this process uses (PostgreSQL)."""
    s = connection.settings_dict
    user = quote(s["USER"] or "")
    password = f":{quote(s['PASSWORD'])}" if s["PASSWORD"] else ""
    host = s["HOST"] or "127.0.0.1"
    port = f":{s['PORT']}" if s["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(s['NAME'])}"


def worker_env(*, media_root: Path, mail_dir: Path) -> dict:
    """The environment of a worker process: the shop's base settings (the database
    queue is their default), the test database, files and mails in tmp dirs."""
    env = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    env.update(
        DJANGO_SETTINGS_MODULE="shop.settings.base",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(media_root),
        SHOP_PRIVATE_ROOT=str(settings.SHOP_PRIVATE_ROOT),  # the invoices' PDFs
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
        TASKS_RETRY_DELAY="0",
        LOG_LEVEL="WARNING",
    )
    return env


def worker_start(*, env: dict, worker_id: str) -> subprocess.Popen:
    """`manage.py db_worker --batch`: runs what is ready, exits when nothing is."""
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval=0.1",
            f"--worker-id={worker_id}",
            "--verbosity=1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def worker_wait(process: subprocess.Popen) -> str:
    try:
        output, _ = process.communicate(timeout=WORKER_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
        pytest.fail(f"the worker did not finish in {WORKER_TIMEOUT}s:\n{output}")
    assert process.returncode == 0, output
    return output


def needs_shared_database():
    if connection.vendor != "postgresql":
        pytest.skip(
            "a worker subprocess needs a test database shared between processes; "
            "SQLite's test database is in memory (run with DATABASE_URL=postgres://...)"
        )


def restore_migrated(django_db_blocker) -> None:
    """Transactional tests empty every table: put back what migrations created."""
    with django_db_blocker.unblock():
        for conn in connections.all(initialized_only=True):
            contents = getattr(conn, "_test_serialized_contents", None)
            if contents:
                conn.creation.deserialize_db_from_string(contents)


def tasks_run(*, worker_id: str = "in-process") -> int:
    """Run every ready task of the database queue here, as `db_worker --batch` does
    (claim, run, store the outcome), inside the test's transaction; the number run."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
    )
    count = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker_id)
        worker.run_task(result)
        count += 1
    return count
