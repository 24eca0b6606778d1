"""The serials import: every bad row reported with its line and column and nothing
written; a good file written whole; duplicates across files; the constraints."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from openpyxl import Workbook

from accounts.staff import account_manager_add
from invoicing.models import SerialNumber
from invoicing.serials import MAX_FILE_BYTES, serials_add, serials_import
from invoicing.services.delivery import delivery_note_issue
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _errors(report) -> list[tuple[int, str]]:
    return [(e.line, e.column) for e in report.errors]


def test_bad_rows_are_all_reported_and_nothing_is_imported(world, staff):
    shipped, foreign = world["shipped"].number, world["foreign"].number
    serials_import(
        user=staff, rows=[{"order": shipped, "article": "MTR-0.75", "serial": "M-1"}]
    )
    data = _csv(
        "order;article;serial;batch",
        f"{shipped};MTR-0.75;M-2;B1",  # 2: good
        "NO-SUCH;MTR-0.75;M-3;",  # 3: unknown order
        f"{shipped};NOT-ON-ORDER;M-4;",  # 4: article not on the order
        f"{shipped};MTR-0.75;m 2;",  # 5: repeats line 2 (normalised)
        f"{shipped};MTR-0.75;M1;",  # 6: already stored (as "M-1")
        f"{shipped};DIN933-M8x40;;",  # 7: neither serial nor batch
        f"{shipped};MTR-0.75;M-5;",  # 8: the 3rd unit of 3 (M-1 stored, M-2)
        f"{shipped};MTR-0.75;M-6;",  # 9: a 4th unit of a line of 3
        f"{shipped};MTR-0.75;M-7;",  # 10: and a 5th
        f"{foreign};MTR-0.75;B-1;",  # 11: another company's order is fine for staff
        f"{shipped};MTR-0.75;---;",  # 12: no letters or digits
    )

    report = serials_import(user=staff, file=data, filename="serials.csv")

    assert _errors(report) == [
        (3, "order"),
        (4, "article"),
        (5, "serial"),
        (6, "serial"),
        (7, "serial"),
        (9, "article"),
        (10, "article"),
        (12, "serial"),
    ]
    assert "NO-SUCH" in report.errors[0].message
    assert "line 2" in report.errors[2].message
    assert report.created == 0
    assert list(SerialNumber.objects.values_list("serial", flat=True)) == ["M-1"]


def test_nul_bytes_are_refused(world, staff):
    number = world["shipped"].number
    in_a_cell = serials_add(
        user=staff,
        order=number,
        lines=[
            {"article": "MTR-0.75", "serial": "N-1"},
            {"article": "MTR-0.75", "serial": "N-\x002", "batch": "\x00"},
        ],
    )
    in_a_file = serials_import(
        user=staff, file=_csv("order;article;serial", f"{number};MTR-0.75;N-\x003")
    )

    assert _errors(in_a_cell) == [(2, "batch"), (2, "serial")]
    assert _errors(in_a_file) == [(0, "")]
    assert not SerialNumber.objects.exists()


def test_a_good_file_is_imported_whole(world, staff):
    shipped = world["shipped"]
    bolt_line = shipped.lines.get(product=world["bolt"])
    data = _csv(
        "order;article;line;serial;batch",
        f"{shipped.number};mtr 0.75;;SN-0001;2407-1",
        f"{shipped.number};MTR-0.75;;SN-0002;2407-1",
        f"{shipped.number};;{bolt_line.pk};;L-88",
    )

    report = serials_import(user=staff, file=data, filename="s.csv")

    assert (report.ok, report.created, report.orders) == (True, 3, [shipped.number])
    rows = SerialNumber.objects.order_by("pk")
    assert [(s.serial, s.serial_normalized, s.batch, s.line.product) for s in rows] == [
        ("SN-0001", "sn0001", "2407-1", world["motor"]),
        ("SN-0002", "sn0002", "2407-1", world["motor"]),
        ("", "", "L-88", world["bolt"]),
    ]
    assert {(s.company, s.order, s.delivery_note, s.created_by) for s in rows} == {
        (world["alpha"], shipped, world["note"], staff)
    }


def test_an_xlsx_file_is_read(world, staff):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Заказ", "Артикул", "Серийный номер", "Партия"])
    sheet.append([world["shipped"].number, "MTR-0.75", "X-1", 2407])
    buffer = io.BytesIO()
    workbook.save(buffer)

    report = serials_import(user=staff, file=buffer.getvalue(), filename="s.xlsx")

    assert report.ok
    assert SerialNumber.objects.get().batch == "2407"


def test_a_serial_of_an_earlier_file_is_refused(world, staff):
    number = world["shipped"].number
    first = serials_import(
        user=staff, file=_csv("order;article;serial", f"{number};MTR-0.75;AB-77")
    )
    second = serials_import(
        user=staff,
        file=_csv(
            "order;article;serial",
            f"{number};MTR-0.75;AB-78",
            f"{number};MTR-0.75;ab 77",
        ),
    )

    assert first.ok and first.created == 1
    assert _errors(second) == [(3, "serial")]
    assert number in second.errors[0].message
    assert SerialNumber.objects.count() == 1


def test_the_same_serial_may_be_on_another_product(world, staff):
    number = world["shipped"].number
    report = serials_import(
        user=staff,
        file=_csv(
            "order;article;serial",
            f"{number};MTR-0.75;S-1",
            f"{number};DIN933-M8x40;S-1",
        ),
    )
    assert report.ok and report.created == 2


def test_quantity_counts_what_is_stored(world, staff):
    number = world["shipped"].number
    assert serials_add(
        user=staff,
        order=number,
        lines=[{"article": "MTR-0.75", "serial": f"Q-{i}"} for i in (1, 2)],
    ).ok

    report = serials_add(
        user=staff,
        order=number,
        lines=[{"article": "MTR-0.75", "serial": f"Q-{i}"} for i in (3, 4)],
    )

    assert _errors(report) == [(2, "article")]
    assert "2 already recorded" in report.errors[0].message
    assert SerialNumber.objects.count() == 2


def test_file_level_problems(world, staff):
    too_big = serials_import(user=staff, file=b"x" * (MAX_FILE_BYTES + 1))
    no_columns = serials_import(user=staff, file=_csv("foo;bar", "1;2"))
    empty = serials_import(user=staff, file=b"")

    assert [(e.line, e.column) for e in too_big.errors] == [(0, "")]
    assert "MB" in too_big.errors[0].message
    assert _errors(no_columns) == [(1, "order"), (1, "article"), (1, "serial")]
    assert _errors(empty) == [(0, "")]
    assert not SerialNumber.objects.exists()


def test_serials_entered_before_shipping_join_the_delivery_note(world, staff):
    order = world["open"]
    assert serials_add(
        user=staff, order=order.number, lines=[{"article": "MTR-0.75", "serial": "E-1"}]
    ).ok
    assert SerialNumber.objects.get().delivery_note is None

    note = delivery_note_issue(order=order)

    assert SerialNumber.objects.get().delivery_note == note


def test_a_cancelled_order_takes_no_serials(world, staff):
    order = world["open"]
    order.status = "Cancelled"
    order.save(update_fields=["status"])
    report = serials_add(
        user=staff, order=order.number, lines=[{"article": "MTR-0.75", "serial": "C"}]
    )
    assert _errors(report) == [(1, "order")]


def test_an_account_manager_enters_serials_only_for_their_companies(world):
    manager = StaffFactory()
    account_manager_add(manager)
    world["alpha"].account_manager = manager
    world["alpha"].save(update_fields=["account_manager"])

    own = serials_add(
        user=manager,
        order=world["shipped"].number,
        lines=[{"article": "MTR-0.75", "serial": "AM-1"}],
    )
    other = serials_add(
        user=manager,
        order=world["foreign"].number,
        lines=[{"article": "MTR-0.75", "serial": "AM-2"}],
    )

    assert own.ok
    assert _errors(other) == [(1, "order")]
    assert list(SerialNumber.objects.values_list("serial", flat=True)) == ["AM-1"]


def test_a_customer_cannot_import(world):
    with pytest.raises(PermissionDenied):
        serials_add(
            user=world["alpha_buyer"],
            order=world["shipped"].number,
            lines=[{"article": "MTR-0.75", "serial": "Z"}],
        )


# -- the constraints, on both engines -----------------------------------------


def _serial(world, **kwargs):
    line = world["shipped"].lines.get(product=world["motor"])
    values = {
        "company": world["alpha"],
        "order": world["shipped"],
        "line": line,
        "product": world["motor"],
        "serial": "K-1",
        "serial_normalized": "k1",
        "batch": "",
    }
    values.update(kwargs)
    return SerialNumber.objects.create(**values)


def test_a_serial_is_unique_per_product(world):
    _serial(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        _serial(world, serial="k 1")
    _serial(world, product=world["bolt"])  # another product: allowed
    _serial(world, serial="", serial_normalized="", batch="B-1")
    _serial(world, serial="", serial_normalized="", batch="B-2")  # blanks repeat
    assert SerialNumber.objects.count() == 4


def test_a_row_needs_a_serial_or_a_batch(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        _serial(world, serial="", serial_normalized="", batch="")
    with pytest.raises(IntegrityError), transaction.atomic():
        _serial(world, serial="K-2", serial_normalized="", batch="")
    assert not SerialNumber.objects.exists()
