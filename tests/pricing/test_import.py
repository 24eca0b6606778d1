"""import_prices: all or nothing, precise row errors, dry run, CSV and XLSX."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from catalog.importing.tables import table_read
from catalog.pricing.importing import prices_import
from catalog.pricing.models import PriceListItem
from tests.factories import PriceListFactory, ProductFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def wholesale(db):
    ProductFactory(article="6205-2RS")
    ProductFactory(article="HB-M8/40")
    return PriceListFactory(code="wholesale", name="Wholesale", currency="RUB")


def _items(price_list):
    return sorted(
        PriceListItem.objects.filter(price_list=price_list).values_list(
            "product__article", "min_quantity", "price"
        )
    )


def test_cp1251_semicolon_file_imports_breaks(wholesale, tmp_path):
    text = "Article;Price;Min_qty\n6205-2RS;1 234,50;\n6205 2rs;1100;10\nhbm840;7.5;1\n"
    path = tmp_path / "prices.csv"
    path.write_bytes(text.encode("cp1251"))
    out = io.StringIO()
    call_command("import_prices", "wholesale", str(path), stdout=out)
    assert (
        out.getvalue().strip() == "3 rows: 3 created, 0 updated, 0 unchanged, 0 errors"
    )
    assert _items(wholesale) == [
        ("6205-2RS", 1, D("1234.50")), ("6205-2RS", 10, D("1100.00")),
        ("HB-M8/40", 1, D("7.50")),
    ]  # fmt: skip
    out = io.StringIO()
    call_command("import_prices", "wholesale", str(path), stdout=out)
    assert "0 created, 0 updated, 3 unchanged" in out.getvalue()


def test_any_bad_row_imports_nothing_and_names_line_and_column(wholesale):
    data = (
        b"article,price,min_qty,currency\n"
        b"6205-2RS,100,1,RUB\n"
        b"6205-2RS,-5,1,\n"
        b"NOPE-1,10,1,\n"
        b"HB-M8/40,0,0,\n"
        b"HB-M8/40,12,2,EUR\n"
        b"6205-2RS,abc,3,\n"
    )
    report = prices_import(price_list=wholesale, table=table_read(data=data))
    assert [str(e) for e in report.errors] == [
        "line 3, column price: the price must be greater than zero",
        "line 4, column article: no product with article NOPE-1",
        "line 5, column min_qty: the break quantity must be a whole number of 1 or more",
        "line 5, column price: the price must be greater than zero",
        "line 6, column currency: EUR differs from the price list's RUB",
        "line 7, column price: 'abc' is not a number",
    ]
    assert not report.applied and _items(wholesale) == []


def test_header_is_required_and_duplicates_are_named(wholesale):
    report = prices_import(
        price_list=wholesale, table=table_read(data=b"6205-2RS,100\nHB-M8/40,5\n")
    )
    assert [str(e) for e in report.errors][:2] == [
        "line 1, column article: the required column is missing",
        "line 1, column price: the required column is missing",
    ]
    data = b"article,price\n6205-2RS,100\n6205 2RS,90\n"
    report = prices_import(price_list=wholesale, table=table_read(data=data))
    assert [str(e) for e in report.errors] == [
        "line 3, column article: 6205 2RS from 1 is already on line 2"
    ]


def test_dry_run_saves_nothing_and_xlsx_is_read(wholesale, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["article", "price", "min_qty"])
    book.active.append(["6205-2RS", 99.9, 5])
    path = tmp_path / "prices.xlsx"
    book.save(path)
    out = io.StringIO()
    call_command("import_prices", "wholesale", str(path), "--dry-run", stdout=out)
    assert out.getvalue().startswith("Dry run, nothing saved. 1 rows: 1 created")
    assert _items(wholesale) == []
    call_command("import_prices", "wholesale", str(path), stdout=io.StringIO())
    assert _items(wholesale) == [("6205-2RS", 5, D("99.90"))]


def test_command_errors_are_clear(wholesale, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("article,price\nNOPE,1\n")
    with pytest.raises(CommandError, match="Nothing imported. 1 rows"):
        call_command("import_prices", "wholesale", str(path), stderr=io.StringIO())
    with pytest.raises(CommandError, match="No price list with code 'dealer'"):
        call_command("import_prices", "dealer", str(path))
    with pytest.raises(CommandError, match="The file is empty"):
        empty = tmp_path / "empty.csv"
        empty.write_bytes(b"")
        call_command("import_prices", "wholesale", str(empty))
