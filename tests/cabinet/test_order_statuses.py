"""Order statuses tell the truth: the shipping state from status, delivery note and
shipping events, the same on the list, the detail, the API and the exports; order
and line statuses in the reader's language."""

import csv
import io
import re

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook
from oscar.apps.order.processing import EventHandler

from invoicing.models import DeliveryNote
from invoicing.services.delivery import delivery_note_issue
from sales.order.models import ShippingEvent, ShippingEventQuantity, ShippingEventType
from sales.order.statuses import shipped_statuses
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory
from tests.invoicing.factories import SellerEntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def company_a():
    return CompanyFactory(name="Alpha Machines")


@pytest.fixture
def alice(company_a):
    return MembershipFactory(company=company_a, role="buyer").user


@pytest.fixture
def bearing():
    return priced_product(title="Bearing 6205-2RS", article="6205-2RS", price="100.00")


@pytest.fixture
def bolt():
    return priced_product(
        title="Bolt DIN 933 M8x30", article="DIN933-M8X30", price="2.50"
    )


def login(client, user, language=""):
    client.force_login(user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def ship(order):
    """Ship the order as staff do: Processing, then Shipped (the delivery note)."""
    SellerEntityFactory(is_default=True)
    handler = EventHandler(StaffFactory())
    if order.status == "Pending":
        handler.handle_order_status_change(order, "Processing")
    handler.handle_order_status_change(order, "Shipped")


def shipping_event(order, quantities, name="Shipped"):
    event_type, _ = ShippingEventType.objects.get_or_create(name=name)
    event = ShippingEvent.objects.create(order=order, event_type=event_type)
    for line, quantity in quantities:
        ShippingEventQuantity.objects.create(event=event, line=line, quantity=quantity)
    return event


def detail_html(client, order) -> str:
    response = client.get(reverse("cabinet:order-detail", args=[order.number]))
    assert response.status_code == 200
    return response.content.decode()


def shipping_text(html: str) -> str:
    match = re.search(r'<p id="shipping-state"[^>]*>(.*?)</p>', html, re.S)
    assert match, "the detail page shows no shipping state"
    return match.group(1).strip()


def line_status_cells(html: str, header: str = "Status") -> list[str]:
    """The lines table's status column, found by its header."""
    table = re.search(r'<table[^>]*id="order-lines".*?</table>', html, re.S).group(0)
    thead, tbody = table.split("</thead>")
    headers = [_text(cell) for cell in re.findall(r"<th[^>]*>(.*?)</th>", thead, re.S)]
    column = headers.index(header)
    return [
        _text(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[column])
        for row in re.findall(r"<tr>(.*?)</tr>", tbody, re.S)
    ]


def _text(fragment: str) -> str:
    return re.sub(r"<[^>]+>", "", fragment).strip()


def export_rows(client, export):
    response = client.get(reverse("cabinet:order-list"), {"format": export})
    assert response.status_code == 200
    if export == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.values]


# --- the shipping state -------------------------------------------------------------


def test_shipped_order_with_a_delivery_note_says_shipped(
    client, company_a, alice, bearing
):
    order = order_make(company=company_a, user=alice, lines=[(bearing, 2, "100")])
    ship(order)
    assert DeliveryNote.objects.filter(order=order).exists()

    client = login(client, alice)
    html = detail_html(client, order)
    assert "Not shipped yet" not in html
    assert shipping_text(html) == "Shipped"
    assert line_status_cells(html) == ["Shipped"]

    data = client.get(reverse("api:cabinet-order", args=[order.number])).json()
    assert (data["status"], data["shipping"]) == ("Shipped", "shipped")
    assert data["lines"][0]["shipped_quantity"] == 2
    listed = client.get(reverse("api:cabinet-orders")).json()["results"][0]
    assert listed["shipping"] == "shipped"
    rows = export_rows(client, "csv")
    assert rows[0][-1] == "Shipping state"
    assert (rows[1][2], rows[1][-1]) == ("Shipped", "Shipped")


def test_a_delivery_note_alone_means_shipped(client, company_a, alice, bearing):
    order = order_make(
        company=company_a, user=alice, lines=[(bearing, 1, "100")], status="Processing"
    )
    SellerEntityFactory(is_default=True)
    delivery_note_issue(order=order)

    client = login(client, alice)
    assert shipping_text(detail_html(client, order)) == "Shipped"
    assert client.get(reverse("api:cabinet-orders")).json()["results"][0][
        "shipping"
    ] == ("shipped")


def test_part_shipped_by_shipping_events_says_so_everywhere(
    client, company_a, alice, bearing, bolt
):
    order = order_make(
        company=company_a, user=alice, status="Processing",
        lines=[(bearing, 10, "100"), (bolt, 100, "2.50")],
    )  # fmt: skip
    first, second = order.lines.order_by("pk")
    shipping_event(order, [(first, 3)])
    shipping_event(order, [(first, 3)], name="Delivered")  # the same 3, not 6
    shipping_event(order, [(second, 100)], name="Packed")  # not a shipment

    client = login(client, alice)
    html = detail_html(client, order)
    assert shipping_text(html) == "Partly shipped"
    assert line_status_cells(html) == ["Shipped 3 of 10", "Processing"]
    list_html = client.get(reverse("cabinet:order-list")).content.decode()
    assert "Processing · Partly shipped" in list_html

    data = client.get(reverse("api:cabinet-order", args=[order.number])).json()
    assert (data["status"], data["shipping"]) == ("Processing", "partly_shipped")
    assert [line["shipped_quantity"] for line in data["lines"]] == [3, 0]
    assert export_rows(client, "xlsx")[1][-1] == "Partly shipped"

    shipping_event(order, [(first, 7), (second, 100)])
    html = detail_html(client, order)
    assert shipping_text(html) == "Shipped"
    assert line_status_cells(html) == ["Shipped", "Shipped"]
    assert client.get(reverse("api:cabinet-orders")).json()["results"][0][
        "shipping"
    ] == ("shipped")


def test_not_shipped_and_cancelled(client, company_a, alice, bearing):
    waiting = order_make(company=company_a, user=alice, lines=[(bearing, 1, "100")])
    cancelled = order_make(
        company=company_a, user=alice, lines=[(bearing, 1, "100")], status="Cancelled"
    )
    client = login(client, alice)
    assert shipping_text(detail_html(client, waiting)) == "Not shipped yet"
    html = detail_html(client, cancelled)
    assert shipping_text(html) == "Cancelled, not shipped"
    assert line_status_cells(html) == ["Cancelled"]
    assert shipped_statuses() == {"Shipped", "Completed"}


# --- in the reader's language ---------------------------------------------------------


def test_line_statuses_in_russian(client, company_a, alice, bearing, bolt):
    order = order_make(
        company=company_a, user=alice, status="Processing",
        lines=[(bearing, 2, "100"), (bolt, 10, "2.50")],
    )  # fmt: skip
    first, second = order.lines.order_by("pk")
    first.status, second.status = "Processing", "Cancelled"
    first.save(), second.save()

    client = login(client, alice, language="ru")
    html = detail_html(client, order)
    assert line_status_cells(html, "Статус") == ["В работе", "Отменена"]
    assert shipping_text(html) == "Ещё не отгружен"

    data = client.get(reverse("api:cabinet-order", args=[order.number])).json()
    assert [(line["status"], line["status_label"]) for line in data["lines"]] == [
        ("Processing", "В работе"),
        ("Cancelled", "Отменена"),
    ]
    assert (data["status"], data["status_label"]) == ("Processing", "В работе")


def test_shipped_order_in_russian(client, company_a, alice, bearing):
    order = order_make(company=company_a, user=alice, lines=[(bearing, 2, "100")])
    ship(order)
    html = detail_html(login(client, alice, language="ru"), order)
    assert "Ещё не отгружен" not in html
    assert shipping_text(html) == "Отгружен"
    assert line_status_cells(html, "Статус") == ["Отгружена"]


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_exports_carry_russian_status_labels_for_a_russian_user(
    client, company_a, alice, bearing, export
):
    pending = order_make(
        company=company_a, user=alice, lines=[(bearing, 1, "100")], days_ago=1
    )
    shipped = order_make(company=company_a, user=alice, lines=[(bearing, 2, "100")])
    ship(shipped)

    rows = export_rows(login(client, alice, language="ru"), export)
    assert rows[0][2] == "Статус"
    statuses = {row[0]: row[2] for row in rows[1:]}
    assert statuses == {shipped.number: "Отгружен", pending.number: "Принят"}
    assert rows[0][-1] == "Отгрузка"
    shipping = {row[0]: row[-1] for row in rows[1:]}
    assert shipping == {shipped.number: "Отгружен", pending.number: "Ещё не отгружен"}


def test_exports_in_english_by_default(client, company_a, alice, bearing):
    order_make(company=company_a, user=alice, lines=[(bearing, 1, "100")])
    rows = export_rows(login(client, alice), "csv")
    assert (rows[1][2], rows[1][-1]) == ("Pending", "Not shipped yet")
