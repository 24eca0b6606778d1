"""Catalogue and price imports and the catalogue export as jobs: a staff upload is
stored privately and imported by a background task (at once when small), its page
shows the progress while the import's transaction is open and then the result with
line errors; a failed import saves nothing; only its owner (or a superuser) sees a
job or downloads an export; bad files get a clear answer."""

import io
import os
import re
import stat
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone
from openpyxl import Workbook

from catalog.importing import jobs
from catalog.importing.models import CatalogJob
from catalog.importing.tables import MAX_COLUMNS, TableError, table_read
from catalog.models import Product
from catalog.pricing.models import PriceListItem
from tests.factories import PriceListFactory, ProductFactory, StaffFactory

pytestmark = pytest.mark.django_db

Status = CatalogJob.Status
GOOD = (
    "article;name;price;stock\n"
    "6205-2RS;Подшипник 6205-2RS;512,40;120\n"
    "6206-ZZ;Подшипник 6206-ZZ;498.00;0\n"
    "B-1000;Ремень клиновой A-1000;210;5\n"
).encode()
BAD = GOOD + b"X-1;Broken;x;1\nX-2;;10;1\n"  # lines 5 and 6


@pytest.fixture(autouse=True)
def job_dirs(settings, tmp_path):
    """Job files under a VAR_DIR of the test's own; MEDIA_ROOT beside it."""
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()
    return tmp_path


@pytest.fixture
def queued(settings):
    """Every upload goes to the queue (none is small enough to run at once)."""
    settings.CATALOG_IMPORT_INLINE_BYTES = 0


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def upload(data: bytes = GOOD, name: str = "catalogue.csv"):
    return SimpleUploadedFile(name, data)


def _job() -> CatalogJob:
    return CatalogJob.objects.get()


# --- importing --------------------------------------------------------------------


def test_a_small_file_is_imported_at_once_and_stored_privately(
    staff_client, staff_user, job_dirs
):
    response = staff_client.post("/dashboard/catalog/import/", {"file": upload()})

    job = _job()
    assert response.status_code == 302
    assert response["Location"] == f"/dashboard/catalog/jobs/{job.pk}/"
    assert (job.status, job.rows_total, job.created, job.created_by) == (
        Status.DONE,
        3,
        3,
        staff_user,
    )
    assert Product.objects.count() == 3
    page = staff_client.get(response["Location"]).content.decode()
    assert "Imported." in page
    assert "3 rows: 3 created, 0 updated, 0 unchanged." in page
    # Under VAR_DIR/private, by a random name, for the shop's user only.
    stored = job_dirs / "var" / "private" / "catalog-jobs" / job.file.name
    assert stored.read_bytes() == GOOD
    assert "catalogue" not in job.file.name and job.file_name == "catalogue.csv"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert not (job_dirs / "media").exists()


def test_a_large_file_is_queued_then_run_by_the_task(
    staff_client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = staff_client.post("/dashboard/catalog/import/", {"file": upload()})
    job = _job()
    assert job.status == Status.QUEUED and Product.objects.count() == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "Waiting for a worker" in page
    assert 'role="progressbar"' in page
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    progress = staff_client.get(f"/dashboard/catalog/jobs/{job.pk}/progress/")
    assert progress.json() == {
        "status": "queued",
        "finished": False,
        "label": "Waiting for a worker",
        "text": "Waiting for a worker",
        "done": 0,
        "total": 0,
        "percent": 0,
    }

    for callback in callbacks:  # the commit: the immediate backend runs the task
        callback()

    job.refresh_from_db()
    assert (job.status, job.created, job.applied) == (Status.DONE, 3, True)
    assert Product.objects.count() == 3
    assert staff_client.get(f"/dashboard/catalog/jobs/{job.pk}/progress/").json()[
        "finished"
    ]
    page = staff_client.get(response["Location"]).content.decode()
    assert "refresh" not in page and "Imported." in page


def test_progress_shows_while_the_import_transaction_is_open(
    staff_client, staff_user, queued, monkeypatch, django_capture_on_commit_callbacks
):
    """The rows checked and saved reach the job's page while the import has not
    committed (its row cannot say so: the transaction hides it)."""
    monkeypatch.setattr(jobs, "PROGRESS_SECONDS", 0)
    seen = []
    report = jobs.JobProgress.__call__

    def watched(self, stage, done, total):
        report(self, stage, done, total)
        if stage == "saving":
            job = CatalogJob.objects.get()
            answer = staff_client.get(f"/dashboard/catalog/jobs/{job.pk}/progress/")
            seen.append((connection.in_atomic_block, answer.json()))

    monkeypatch.setattr(jobs.JobProgress, "__call__", watched)
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post("/dashboard/catalog/import/", {"file": upload()})

    assert _job().status == Status.DONE
    assert seen, "no progress reported while saving"
    inside, first = seen[0]
    assert inside  # within the import's transaction
    assert first["status"] == "running" and first["label"] == "Saving"
    assert (first["text"], first["done"], first["total"]) == ("Saving", 0, 21)
    # 21: the 3 products, then 6 steps of 3 rows
    assert 30 <= first["percent"] < 100
    assert [p["percent"] for _, p in seen] == sorted(p["percent"] for _, p in seen)
    assert seen[-1][1]["done"] == seen[-1][1]["total"] == 21


def test_a_failed_import_saves_nothing_and_shows_its_line_errors(
    staff_client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/dashboard/catalog/import/", {"file": upload(BAD)}
        )

    job = _job()
    assert (job.status, job.error_count, job.applied) == (Status.FAILED, 2, False)
    assert Product.objects.count() == 0 and PriceListItem.objects.count() == 0
    page = staff_client.get(response["Location"]).content.decode()
    assert "2 invalid rows: nothing was imported." in page
    assert "line 5, column price: not a number: x" in page
    assert "line 6, column name: the name is empty" in page


def test_an_error_while_saving_leaves_nothing_half_saved(
    staff_client, queued, monkeypatch, django_capture_on_commit_callbacks
):
    """Products are written first; the analogues step, last, fails: all of it goes."""
    from catalog.importing import catalog_import as importing

    def broken(rows, products):
        assert Product.objects.count() == 3  # written, inside the transaction
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_sync_analogues", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/dashboard/catalog/import/", {"file": upload()})

    job = _job()
    assert job.status == Status.FAILED
    assert job.message == "The job stopped with an error; nothing was saved."
    assert Product.objects.count() == 0 and PriceListItem.objects.count() == 0
    assert (
        "nothing was saved" in staff_client.get(response["Location"]).content.decode()
    )


def test_a_job_runs_once(staff_client, queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        staff_client.post("/dashboard/catalog/import/", {"file": upload()})
    job = _job()
    for callback in callbacks * 2:  # enqueued twice
        callback()
    assert jobs.job_run(job_id=job.pk) == "skipped"
    job.refresh_from_db()
    assert (job.status, job.created) == (Status.DONE, 3)


def test_skipping_invalid_rows_imports_the_others_and_lists_the_skipped(staff_client):
    response = staff_client.post(
        "/dashboard/catalog/import/", {"file": upload(BAD), "skip_invalid": "on"}
    )
    job = _job()
    assert (job.status, job.created, job.error_count) == (Status.DONE, 3, 2)
    page = staff_client.get(response["Location"]).content.decode()
    assert "Imported. 2 invalid rows were skipped." in page
    assert "line 5, column price" in page


def test_a_check_only_run_saves_nothing(staff_client):
    response = staff_client.post(
        "/dashboard/catalog/import/", {"file": upload(), "dry_run": "on"}
    )
    assert (_job().status, _job().applied) == (Status.DONE, False)
    assert Product.objects.count() == 0
    assert "Check passed; nothing was saved" in (
        staff_client.get(response["Location"]).content.decode()
    )


def test_the_job_speaks_the_language_it_was_started_in(
    staff_client, queued, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/dashboard/catalog/import/",
            {"file": upload(BAD)},
            HTTP_ACCEPT_LANGUAGE="ru",
        )
    assert _job().language == "ru"
    assert _job().errors[0][2] == "не число: x"
    page = staff_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="ru")
    assert "строка 5, столбец price: не число: x" in page.content.decode()


# --- prices -----------------------------------------------------------------------


def test_a_large_price_file_becomes_a_job_the_page_follows(
    staff_client, queued, django_capture_on_commit_callbacks
):
    ProductFactory(article="6205-2RS")
    dealer = PriceListFactory(code="dealer")
    data = b"article;price;min_qty\n6205-2RS;100;1\n6205-2RS;90;10\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/dashboard/pricing/lists/{dealer.pk}/",
            {"action": "import", "file": upload(data, "p.csv")},
        )
    job = _job()
    assert response["Location"] == f"/dashboard/catalog/jobs/{job.pk}/"
    assert (job.kind, job.price_list, job.status) == (
        CatalogJob.Kind.PRICE_IMPORT,
        dealer,
        Status.DONE,
    )
    assert sorted(dealer.items.values_list("min_quantity", "price")) == [
        (1, Decimal("100.00")),
        (10, Decimal("90.00")),
    ]
    page = staff_client.get(response["Location"]).content.decode()
    assert "2 rows: 2 created, 0 updated, 0 unchanged." in page
    assert dealer.name in page


def test_a_small_price_file_shows_its_result_on_the_price_list(staff_client):
    dealer = PriceListFactory(code="dealer")
    html = staff_client.post(
        f"/dashboard/pricing/lists/{dealer.pk}/",
        {"action": "import", "file": upload(b"article;price\nNONE-1;5\n", "p.csv")},
    ).content.decode()
    assert "1 invalid row: nothing was imported." in html
    assert "line 2, column article: no product with article NONE-1" in html
    assert f"/dashboard/catalog/jobs/{_job().pk}/" in html


# --- files ------------------------------------------------------------------------


def test_an_oversized_file_is_refused_before_anything_is_stored(
    staff_client, monkeypatch, job_dirs
):
    monkeypatch.setattr(jobs, "MAX_FILE_BYTES", 1024 * 1024)
    big = upload(b"article;name;price\n" + b"x" * (1024 * 1024), "big.csv")
    response = staff_client.post("/dashboard/catalog/import/", {"file": big})
    assert response.status_code == 200
    assert "The file is larger than 1 MB; split it into parts." in (
        response.content.decode()
    )
    assert not CatalogJob.objects.exists()
    assert not (job_dirs / "var" / "private").exists()


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR",
            "photo.csv",
            "This is not a CSV or XLSX file (it contains binary data).",
        ),
        (b"PK\x03\x04garbage", "sheet.xlsx", "The file looks like XLSX but cannot"),
        (b"\n\n", "empty.csv", "The file is empty."),
    ],
)
def test_a_malformed_file_fails_its_job_with_a_clear_message(
    staff_client, data, name, message
):
    response = staff_client.post(
        "/dashboard/catalog/import/", {"file": upload(data, name)}
    )
    job = _job()
    assert job.status == Status.FAILED and message in job.message
    assert message in staff_client.get(response["Location"]).content.decode()


def test_an_empty_upload_is_a_form_error(staff_client):
    response = staff_client.post(
        "/dashboard/catalog/import/", {"file": upload(b"", "empty.csv")}
    )
    assert "The submitted file is empty." in response.content.decode()
    assert not CatalogJob.objects.exists()


def _xlsx(rows, *, dimension: str | None = None) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    if dimension is None:
        return buffer.getvalue()
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(
                    rb'<dimension ref="[^"]*"',
                    f'<dimension ref="{dimension}"'.encode(),
                    content,
                )
            target.writestr(item, content)
    return out.getvalue()


def test_an_xlsx_declaring_a_huge_sheet_is_read_as_it_is():
    """The sheet's own dimension claims 16,384 columns × 1,048,576 rows: rows are
    read as written, not padded to it."""
    data = _xlsx(
        [["article", "name", "price"], ["A-1", "Bolt", 1]], dimension="A1:XFD1048576"
    )
    assert b"XFD1048576" in zipfile.ZipFile(io.BytesIO(data)).read(
        "xl/worksheets/sheet1.xml"
    )
    table = table_read(data=data, filename="x.xlsx")
    assert table.headers == ["article", "name", "price"]
    assert table.rows == [(2, {"article": "A-1", "name": "Bolt", "price": "1"})]


def test_too_many_columns_or_a_zip_that_unpacks_too_far_are_refused(monkeypatch):
    with pytest.raises(TableError, match=f"more than {MAX_COLUMNS} columns"):
        table_read(data=_xlsx([[f"c{n}" for n in range(MAX_COLUMNS + 5)]]))
    from catalog.importing import tables

    monkeypatch.setattr(tables, "MAX_XLSX_UNPACKED_BYTES", 1024)
    with pytest.raises(TableError, match="unpacks to more than"):
        table_read(data=_xlsx([["article", "name", "price"]] * 200))


# --- exports ----------------------------------------------------------------------


def test_an_export_is_a_file_made_by_a_task_and_downloaded_by_its_owner(
    staff_client, django_capture_on_commit_callbacks, job_dirs
):
    ProductFactory(article="6205-2RS", title="Подшипник")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            "/dashboard/catalog/export/", {"file_format": "xlsx"}
        )
    job = _job()
    assert response["Location"] == f"/dashboard/catalog/jobs/{job.pk}/"
    assert (job.kind, job.status, job.rows_total) == (
        CatalogJob.Kind.CATALOG_EXPORT,
        Status.DONE,
        1,
    )
    page = staff_client.get(response["Location"]).content.decode()
    assert "The file is ready." in page and "download/" in page

    download = staff_client.get(f"/dashboard/catalog/jobs/{job.pk}/download/")
    body = b"".join(download.streaming_content)
    assert download.status_code == 200 and body[:2] == b"PK"
    assert download["Content-Disposition"].startswith('attachment; filename="catalog-')
    table = table_read(data=body, filename="x.xlsx")
    assert [values["article"] for _, values in table.rows] == ["6205-2RS"]
    assert (job_dirs / "var" / "private" / "catalog-jobs" / job.file.name).exists()


def test_export_pages_refuse_a_get_and_an_unknown_format(staff_client):
    assert staff_client.get("/dashboard/catalog/export/").status_code == 405
    response = staff_client.post("/dashboard/catalog/export/", {"file_format": "pdf"})
    assert response["Location"] == "/dashboard/catalog/import/"
    assert not CatalogJob.objects.exists()


# --- who may see -----------------------------------------------------------------


@pytest.fixture
def export_job(staff_user, django_capture_on_commit_callbacks):
    ProductFactory(article="6205-2RS")
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.export_job_start(created_by=staff_user, file_format="csv")
    job.refresh_from_db()
    assert job.status == Status.DONE
    return job


def _urls(job):
    base = f"/dashboard/catalog/jobs/{job.pk}/"
    return [base, f"{base}progress/", f"{base}download/"]


def test_anonymous_visitors_and_buyers_are_sent_to_the_login(client, buyer, export_job):
    for url in _urls(export_job) + ["/dashboard/catalog/jobs/"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dashboard/login/"), url
    client.force_login(buyer)
    for url in _urls(export_job):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dashboard/login/"), url


def test_another_staff_member_gets_a_404(client, export_job):
    client.force_login(StaffFactory())
    for url in _urls(export_job):
        assert client.get(url).status_code == 404, url
    listing = client.get("/dashboard/catalog/jobs/").content.decode()
    assert f"#{export_job.pk}<" not in listing


def test_the_owner_and_a_superuser_see_it(client, staff_user, export_job):
    owner = StaffFactory()
    CatalogJob.objects.filter(pk=export_job.pk).update(created_by=owner)
    for user in (owner, staff_user):  # staff_user is a superuser
        client.force_login(user)
        download = client.get(_urls(export_job)[2])
        assert download.status_code == 200
        assert b"".join(download.streaming_content).startswith(b"\xef\xbb\xbfarticle")
        listing = client.get("/dashboard/catalog/jobs/").content.decode()
        assert f"#{export_job.pk}<" in listing


def test_an_import_has_no_download(staff_client):
    staff_client.post("/dashboard/catalog/import/", {"file": upload()})
    assert staff_client.get(_urls(_job())[2]).status_code == 404


# --- housekeeping ----------------------------------------------------------------


def test_old_files_are_removed_and_jobs_of_a_dead_worker_fail(
    staff_client, staff_user, job_dirs
):
    staff_client.post("/dashboard/catalog/import/", {"file": upload()})
    done = _job()
    stored = job_dirs / "var" / "private" / "catalog-jobs" / done.file.name
    CatalogJob.objects.filter(pk=done.pk).update(
        finished_at=timezone.now() - timedelta(days=jobs.JOB_FILES_DAYS + 1)
    )
    stuck = CatalogJob.objects.create(
        kind=CatalogJob.Kind.CATALOG_EXPORT,
        created_by=staff_user,
        status=Status.RUNNING,
        started_at=timezone.now() - timedelta(hours=7),
    )

    assert jobs.catalog_jobs_clean() == {"files_removed": 1, "stuck_failed": 1}

    done.refresh_from_db()
    stuck.refresh_from_db()
    assert not stored.exists() and done.file.name == "" and done.status == Status.DONE
    assert stuck.status == Status.FAILED and "worker" in stuck.message
    assert jobs.catalog_jobs_clean() == {"files_removed": 0, "stuck_failed": 0}
