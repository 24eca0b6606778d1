"""Scale-out: two `manage.py db_worker` processes against one queue run each task
exactly once (PostgreSQL: the workers claim rows with SELECT ... FOR UPDATE SKIP
LOCKED)."""

import pytest
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from core.models import SentMail
from tests.core.tasks import record_run
from tests.workers import (
    DATABASE_TASKS,
    needs_shared_database,
    restore_migrated,
    worker_env,
    worker_start,
    worker_wait,
)

TASKS = 30

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def restore_after(django_db_setup, django_db_blocker):
    yield
    restore_migrated(django_db_blocker)


def test_two_workers_run_each_task_exactly_once(settings, tmp_path):
    needs_shared_database()
    settings.TASKS = DATABASE_TASKS
    for number in range(TASKS):
        record_run.enqueue(number=number, seconds=0.3)
    env = worker_env(media_root=tmp_path / "media", mail_dir=tmp_path / "mail")
    workers = [worker_start(env=env, worker_id=f"worker-{n}") for n in (1, 2)]
    outputs = [worker_wait(w) for w in workers]

    runs = SentMail.objects.filter(key__startswith="run:")
    assert sorted(int(r.subject.split()[1]) for r in runs) == list(range(TASKS))
    results = list(DBTaskResult.objects.all())
    assert len(results) == TASKS
    assert {r.status for r in results} == {TaskResultStatus.SUCCESSFUL}
    assert all(len(r.worker_ids) == 1 for r in results)  # claimed once each
    # Both took part (each task takes 0.3 s, the queue 9 s of work).
    assert {r.worker_ids[0] for r in results} == {"worker-1", "worker-2"}, outputs
    assert len({r.to for r in runs}) == 2  # two processes
