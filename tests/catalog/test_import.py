"""Catalog import and export: all-or-nothing, precise row errors, idempotent, round trip."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from catalog.importing.catalog_export import catalog_export_rows
from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import TableError, csv_write, table_read, xlsx_write
from catalog.models import CrossReference, Product
from catalog.partner.models import StockRecord
from catalog.pricing.models import PriceListItem

pytestmark = pytest.mark.django_db

GOOD = (
    "article;name;price;manufacturer;manufacturer_article;cross_references;analogues;"
    "category;unit;pack_size;min_order_qty;stock;vat_rate;colour\n"
    "6205-2RS-SKF;Подшипник 6205-2RS SKF;512,40;SKF;6205-2RSH;180205|6205 2RS;6205-2RS-FAG;"
    "Подшипники > Шариковые;шт;1;1;120;20;\n"
    "6205-2RS-FAG;Подшипник 6205-2RS FAG;498.00;FAG;6205-2RSR;180205;;"
    "Подшипники > Шариковые;pcs;1;1;0;20;blue\n"
)


def _import(text: str, encoding="utf-8", **kwargs):
    return catalog_import(table=table_read(data=text.encode(encoding)), **kwargs)


def _snapshot():
    return (
        sorted(Product.objects.values_list("article", "title", "analogue_group_id")),
        sorted(PriceListItem.objects.values_list("product__article", "price")),
        sorted(CrossReference.objects.values_list("product__article", "number")),
        sorted(StockRecord.objects.values_list("product__article", "num_in_stock")),
    )


def test_good_file_imports_everything():
    report = _import(GOOD)
    assert report.ok and report.applied
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    skf = Product.objects.get(article="6205-2RS-SKF")
    assert skf.manufacturer.name == "SKF"
    assert skf.manufacturer_article_normalized == "62052rsh"
    assert skf.get_categories().first().full_name == "Подшипники > Шариковые"
    assert PriceListItem.objects.get(product=skf).price == Decimal("512.40")
    assert StockRecord.objects.get(product=skf).num_in_stock == 120
    assert set(skf.cross_references.values_list("number", flat=True)) == {
        "180205",
        "6205 2RS",
    }
    fag = Product.objects.get(article="6205-2RS-FAG")
    assert skf.analogue_group_id == fag.analogue_group_id is not None
    assert fag.attribute_values.get(attribute__code="colour").value_text == "blue"


def test_reimport_changes_nothing():
    _import(GOOD)
    before = _snapshot()
    report = _import(GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert _snapshot() == before


def test_changed_price_is_an_update():
    _import(GOOD)
    report = _import(GOOD.replace("512,40", "530"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert PriceListItem.objects.get(product__article="6205-2RS-SKF").price == Decimal(
        "530"
    )


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ("X1;Bolt;abc", "price", "not a number"),
        ("X1;Bolt;-5", "price", "greater than zero"),
        ("X1;Bolt;10;-3", "stock", "cannot be negative"),
        ("X1;Bolt;10;;NOPE-1", "analogues", "unknown article NOPE-1"),
        (";Bolt;10", "article", "empty"),
        ("X1;;10", "name", "empty"),
        ("X1;Bolt;10.123", "price", "two decimal places"),
    ],
)
def test_bad_row_is_reported_and_nothing_is_imported(row, column, reason):
    text = "article;name;price;stock;analogues\nGOOD-1;Fine;10;1;\n" + row + "\n"
    report = _import(text)
    assert not report.applied
    assert Product.objects.count() == 0
    [error] = report.errors
    assert (error.line, error.column) == (3, column)
    assert reason in error.reason


def test_duplicated_article_in_one_file():
    report = _import("article;name;price\nA-1;One;1\na 1;Two;2\n")
    [error] = report.errors
    assert (error.line, error.column) == (3, "article")
    assert "duplicate of line 2" in error.reason
    assert Product.objects.count() == 0


def test_missing_required_column():
    report = _import("article;name\nA-1;One\n")
    assert "price" in report.errors[0].column
    assert Product.objects.count() == 0


def test_skip_invalid_imports_the_valid_rows():
    report = _import("article;name;price\nA-1;One;1\nA-2;Two;zero\n", skip_invalid=True)
    assert report.applied and len(report.errors) == 1
    assert list(Product.objects.values_list("article", flat=True)) == ["A-1"]


def test_dry_run_saves_nothing():
    report = _import(GOOD, dry_run=True)
    assert report.ok and not report.applied and report.created == 2
    assert Product.objects.count() == 0


def test_analogue_defined_later_in_the_same_file():
    report = _import("article,name,price,analogues\nA-1,One,1,A-2\nA-2,Two,2,\n")
    assert report.ok
    a1, a2 = Product.objects.order_by("article")
    assert a1.analogue_group_id == a2.analogue_group_id is not None


def test_cp1251_with_semicolons():
    report = _import(GOOD, encoding="cp1251")
    assert report.ok
    assert Product.objects.get(article="6205-2RS-SKF").title == "Подшипник 6205-2RS SKF"


def test_utf8_bom_and_tabs():
    report = _import("\ufeff" + GOOD.replace(";", "\t"))
    assert report.ok and report.created == 2


def test_xlsx_first_sheet():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Article", "Name", "Price", "Stock"])
    sheet.append(["DIN933-M8x40", "Болт DIN 933 M8x40", 12.5, 500])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = catalog_import(table=table_read(data=buffer.getvalue(), filename="x.xlsx"))
    assert report.ok
    product = Product.objects.get(article="DIN933-M8x40")
    assert PriceListItem.objects.get(product=product).price == Decimal("12.5")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00IHDR", "not a CSV or XLSX"),
        (b"PK\x03\x04garbage", "cannot be read"),
        (b"a" * (50 * 1024 * 1024 + 1), "larger than 50 MB"),
    ],
)
def test_unreadable_files_are_refused(data, message):
    with pytest.raises(TableError, match=message):
        table_read(data=data, filename="upload.csv")


def test_export_then_import_is_a_no_op():
    _import(GOOD)
    before = _snapshot()
    headers, rows = catalog_export_rows()
    for writer, name in ((csv_write, "x.csv"), (xlsx_write, "x.xlsx")):
        report = catalog_import(
            table=table_read(data=writer(headers=headers, rows=rows), filename=name)
        )
        assert report.ok, report.errors
        assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
        assert _snapshot() == before


def test_export_escapes_formulas_and_import_restores_them():
    _import('article;name;price\nF-1;=HYPERLINK("http://x");10\n')
    headers, rows = catalog_export_rows()
    exported = csv_write(headers=headers, rows=rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in exported
    report = catalog_import(table=table_read(data=exported.encode()))
    assert report.unchanged == 1
    assert Product.objects.get(article="F-1").title == '=HYPERLINK("http://x")'


def test_commands(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text(GOOD, encoding="utf-8")
    call_command("import_catalog", str(source), "--dry-run", stdout=io.StringIO())
    assert Product.objects.count() == 0
    call_command("import_catalog", str(source), stdout=io.StringIO())
    assert Product.objects.count() == 2
    target = tmp_path / "out.xlsx"
    call_command("export_catalog", str(target), stdout=io.StringIO())
    assert target.stat().st_size > 0
    bad = tmp_path / "bad.csv"
    bad.write_text("article;name;price\nA;B;x\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command(
            "import_catalog", str(bad), stdout=io.StringIO(), stderr=io.StringIO()
        )


def test_dashboard_import_reports_errors(client, staff_user, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.VAR_DIR = tmp_path  # the uploaded file is kept there
    client.force_login(staff_user)
    upload = SimpleUploadedFile("bad.csv", b"article;name;price\nA;B;x\n")
    response = client.post("/dashboard/catalog/import/", {"file": upload}, follow=True)
    assert response.status_code == 200
    assert "line 2, column price" in response.content.decode()
    assert Product.objects.count() == 0


def test_a_csv_cell_over_the_readers_limit_is_a_table_error_not_a_crash():
    data = ("article;title\r\nA-1;" + "x" * 200_000 + "\r\n").encode()
    with pytest.raises(TableError, match="cannot be read as a table"):
        table_read(data=data, filename="huge.csv")
