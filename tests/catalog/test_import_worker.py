"""Import and export jobs run by the real `manage.py db_worker` in a subprocess against
the PostgreSQL test database: the uploaded file reaches the worker through VAR_DIR,
a good file is imported, a bad one saves nothing and keeps its line errors, and the
export's file is there to download."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from catalog.importing.models import CatalogJob
from catalog.models import Product
from tests.catalog.test_import_jobs import BAD, GOOD
from tests.factories import StaffFactory
from tests.workers import (
    DATABASE_TASKS,
    needs_shared_database,
    restore_migrated,
    worker_env,
    worker_start,
    worker_wait,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

Status = CatalogJob.Status


@pytest.fixture(scope="module", autouse=True)
def restore_after(django_db_setup, django_db_blocker):
    yield
    restore_migrated(django_db_blocker)


def test_the_worker_runs_queued_imports_and_exports(client, settings, tmp_path):
    needs_shared_database()
    settings.TASKS = DATABASE_TASKS
    settings.VAR_DIR = tmp_path / "var"
    settings.CATALOG_IMPORT_INLINE_BYTES = 0  # every upload to the queue
    client.force_login(StaffFactory(is_superuser=True))
    for name, data in (("good.csv", GOOD), ("bad.csv", BAD)):
        upload = SimpleUploadedFile(name, data)
        client.post("/dashboard/catalog/import/", {"file": upload})
    client.post("/dashboard/catalog/export/", {"file_format": "csv"})
    good, bad, export = CatalogJob.objects.order_by("pk")
    assert {good.status, bad.status, export.status} == {Status.QUEUED}

    env = worker_env(media_root=tmp_path / "media", mail_dir=tmp_path / "mail")
    env["SHOP_VAR_DIR"] = str(settings.VAR_DIR)  # where the uploads are
    output = worker_wait(worker_start(env=env, worker_id="imports"))

    for job in (good, bad, export):
        job.refresh_from_db()
    assert (good.status, good.created, good.applied) == (Status.DONE, 3, True), output
    assert sorted(Product.objects.values_list("article", flat=True)) == [
        "6205-2RS",
        "6206-ZZ",
        "B-1000",
    ]
    assert (bad.status, bad.error_count, bad.applied) == (Status.FAILED, 2, False)
    assert bad.errors[0] == [5, "price", "not a number: x"]
    assert export.status == Status.DONE, output
    with export.file.open("rb") as stored:
        assert stored.read().startswith("\ufeffarticle;name;price".encode())
    page = client.get(f"/dashboard/catalog/jobs/{bad.pk}/").content.decode()
    assert "line 5, column price: not a number: x" in page
