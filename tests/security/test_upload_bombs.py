"""Spreadsheet uploads cannot exhaust the server (issue 21 item 1): each hostile file
of `tests.security.bombs` is refused with a clear message through every upload —
quick order and purchase lists (a buyer), serial numbers, the catalogue and price
imports (staff), in the request and in the background worker — and nothing is
saved. The timings are `python -m bench bench_upload_bombs`'s (tests assert no
wall-clock time)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from cabinet.models import PurchaseList
from catalog.importing.models import CatalogJob
from catalog.importing.tables import TableError, table_read
from catalog.models import Product
from catalog.pricing.models import PriceListItem
from invoicing.models import SerialNumber
from tests.factories import PriceListFactory, StaffFactory
from tests.security import bombs

pytestmark = pytest.mark.django_db

COLUMNS = "The table has more than 256 columns."
UNREADABLE = "The file looks like XLSX but cannot be read."
RATIO = "The XLSX file is compressed more than 200 times"
BINARY = "This is not a CSV or XLSX file (it contains binary data)."
LONG_LINE = "A line of the file is longer than 1024 KB."
ROWS = "rows; split it into parts."

# (name, file name, bytes, what the person uploading is told)
BOMBS = [
    ("xlsx-dimension", "order.xlsx", bombs.xlsx_dimension_bomb(), COLUMNS),
    ("xlsx-wide-rows", "order.xlsx", bombs.xlsx_wide_rows(), COLUMNS),
    ("xlsx-zip-bomb", "order.xlsx", bombs.xlsx_zip_bomb(unpacked_mb=40), RATIO),
    ("xlsx-lying-zip", "order.xlsx", bombs.xlsx_lying_zip(unpacked_mb=8), UNREADABLE),
    ("xlsx-entities", "order.xlsx", bombs.xlsx_entity_bomb(), UNREADABLE),
    ("xlsx-members", "order.xlsx", bombs.xlsx_many_members(members=2000), UNREADABLE),
    ("csv-20k-columns", "order.csv", bombs.csv_wide(), COLUMNS),
    ("csv-20k-same-columns", "order.csv", bombs.csv_wide_duplicates(), COLUMNS),
    ("csv-blank-lines", "order.csv", bombs.csv_blank_lines(megabytes=1), ROWS),
    ("csv-long-field", "order.csv", bombs.csv_long_field(kilobytes=1100), LONG_LINE),
    ("csv-nul", "order.csv", bombs.csv_nul(), BINARY),
]
IDS = [name for name, *_ in BOMBS]


def _upload(name, data):
    return SimpleUploadedFile(name, data)


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    return client


@pytest.fixture(autouse=True)
def _imports_in_the_request(settings):
    settings.CATALOG_IMPORT_INLINE_BYTES = 10 * 1024 * 1024


@pytest.mark.parametrize(("name", "filename", "data", "message"), BOMBS, ids=IDS)
def test_the_reader_refuses_each_bomb(name, filename, data, message):
    with pytest.raises(TableError) as refused:
        table_read(data=data, filename=filename)
    assert message in str(refused.value)


def test_the_row_limit_is_the_sheets_not_the_declared_dimension():
    """One cell in the last row of column A: refused at once by its row number."""
    data = bombs.xlsx_dimension_bomb(last="A1048576")
    with pytest.raises(TableError, match="data below row 5,001"):
        table_read(data=data, filename="order.xlsx", max_rows=5000)


@pytest.mark.parametrize(("name", "filename", "data", "message"), BOMBS, ids=IDS)
def test_quick_order_refuses_each_bomb(buyer_client, name, filename, data, message):
    response = buyer_client.post(
        "/cabinet/quick-order/", {"file": _upload(filename, data)}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert "rows" not in response.context  # nothing resolved, nothing to add


@pytest.mark.parametrize(("name", "filename", "data", "message"), BOMBS, ids=IDS)
def test_a_list_import_refuses_each_bomb(
    buyer_client, company, name, filename, data, message
):
    plist = PurchaseList.objects.create(company=company, name="Monthly")
    url = reverse("cabinet:list-import", args=[plist.pk])

    response = buyer_client.post(url, {"file": _upload(filename, data)})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not plist.lines.exists()


@pytest.mark.parametrize(("name", "filename", "data", "message"), BOMBS, ids=IDS)
def test_the_serials_import_refuses_each_bomb(
    staff_client, name, filename, data, message
):
    response = staff_client.post(
        "/dashboard/serials/", {"file": _upload(filename, data)}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SerialNumber.objects.exists()


@pytest.mark.parametrize(("name", "filename", "data", "message"), BOMBS, ids=IDS)
def test_the_catalogue_import_refuses_each_bomb(
    staff_client, name, filename, data, message
):
    products = Product.objects.count()

    staff_client.post("/dashboard/catalog/import/", {"file": _upload(filename, data)})

    job = CatalogJob.objects.get()
    assert (job.status, job.applied) == (CatalogJob.Status.FAILED, False)
    assert message in job.message
    assert Product.objects.count() == products
    page = staff_client.get(f"/dashboard/catalog/jobs/{job.pk}/").content.decode()
    assert message in page


@pytest.mark.parametrize(("name", "filename", "data", "message"), BOMBS, ids=IDS)
def test_the_price_import_refuses_each_bomb(
    staff_client, name, filename, data, message
):
    dealer = PriceListFactory(code="dealer")

    staff_client.post(
        f"/dashboard/pricing/lists/{dealer.pk}/",
        {"action": "import", "file": _upload(filename, data)},
    )

    job = CatalogJob.objects.get()
    assert job.status == CatalogJob.Status.FAILED
    assert message in job.message
    assert not PriceListItem.objects.filter(price_list=dealer).exists()


def test_the_worker_fails_a_refused_file_with_its_message(
    settings, staff_client, django_capture_on_commit_callbacks
):
    """A file too large to import in the request is queued; the worker's run ends
    the job as failed with the refusal, it does not retry or hang."""
    settings.CATALOG_IMPORT_INLINE_BYTES = 0
    data = bombs.xlsx_dimension_bomb()

    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/dashboard/catalog/import/", {"file": _upload("catalog.xlsx", data)}
        )

    job = CatalogJob.objects.get()
    assert (job.status, job.message) == (CatalogJob.Status.FAILED, COLUMNS)
    assert job.finished_at is not None
