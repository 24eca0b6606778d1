"""The buyer's search and exports (company-scoped), the staff page and the ERP API."""

import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import ApiToken
from accounts.staff import account_manager_add
from catalog.importing.tables import table_read
from invoicing.models import SerialNumber
from invoicing.serials import serials_add
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db
URL = "/cabinet/serials/"


@pytest.fixture
def recorded(world, staff):
    shipped, foreign = world["shipped"], world["foreign"]
    assert serials_add(
        user=staff,
        order=shipped.number,
        lines=[
            {"article": "MTR-0.75", "serial": "SN-100", "batch": "2407"},
            {"article": "MTR-0.75", "serial": "=HYPERLINK(1)", "batch": "+7"},
            {"article": "DIN933-M8x40", "batch": "L-88"},
        ],
    ).ok
    assert serials_add(
        user=staff,
        order=foreign.number,
        lines=[{"article": "MTR-0.75", "serial": "SN-999"}],
    ).ok
    return world


def _client(client, user):
    client.force_login(user)
    return client


def test_search_by_serial_finds_the_shipment(client, recorded):
    page = _client(client, recorded["alpha_buyer"]).get(URL, {"q": "sn 100"})

    body = page.content.decode()
    assert page.status_code == 200
    assert "SN-100" in body and "Motor 0.75 kW" in body
    assert reverse("cabinet:order-detail", args=[recorded["shipped"].number]) in body
    assert recorded["note"].display_number in body
    assert reverse("cabinet:delivery-note-pdf", args=[recorded["note"].pk]) in body


def test_another_companys_serial_is_not_found(client, recorded):
    page = _client(client, recorded["alpha_buyer"]).get(URL, {"q": "SN-999"})

    body = page.content.decode()
    assert 'id="serial-not-found"' in body
    assert recorded["foreign"].number not in body
    assert recorded["foreign_note"].display_number not in body


def test_csv_export_round_trip_escapes_formulas(client, recorded):
    response = _client(client, recorded["alpha_buyer"]).get(
        URL, {"order": recorded["shipped"].number, "format": "csv"}
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    raw = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in raw and "'+7" in raw
    table = table_read(data=response.content, filename="s.csv")
    assert [(r["serial number"], r["batch"]) for _, r in table.rows] == [
        (s.serial, s.batch)
        for s in SerialNumber.objects.filter(order=recorded["shipped"]).order_by(
            "line_id", "pk"
        )
    ]
    assert {r["delivery note"] for _, r in table.rows} == {
        recorded["note"].display_number
    }


def test_xlsx_export_per_shipment_opens_in_openpyxl(client, recorded):
    response = _client(client, recorded["alpha_buyer"]).get(
        URL, {"delivery_note": recorded["note"].pk, "format": "xlsx"}
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][6:8] == ("Serial number", "Batch")
    assert sorted((r[6] or "", r[7] or "") for r in rows[1:]) == [
        ("", "L-88"),
        ("'=HYPERLINK(1)", "'+7"),
        ("SN-100", "2407"),
    ]
    assert all(
        cell.data_type == "s" for row in sheet.iter_rows() for cell in row if cell.value
    )


def test_period_export_takes_what_shipped_in_it(client, recorded):
    day = timezone.localdate(recorded["note"].issued_at)  # the shop's calendar day
    c = _client(client, recorded["alpha_buyer"])
    inside = c.get(
        URL, {"from": day.isoformat(), "to": day.isoformat(), "format": "csv"}
    )
    before = c.get(URL, {"to": "2000-01-01", "format": "csv"})

    assert len(table_read(data=inside.content).rows) == 3
    assert table_read(data=before.content).rows == []
    assert (
        c.get(
            URL, {"from": "2030-01-02", "to": "2030-01-01", "format": "csv"}
        ).status_code
        == 400
    )


def test_another_companys_order_or_delivery_note_is_404(client, recorded):
    c = _client(client, recorded["alpha_buyer"])
    for query in (
        {"order": recorded["foreign"].number, "format": "csv"},
        {"delivery_note": recorded["foreign_note"].pk, "format": "xlsx"},
    ):
        assert c.get(URL, query).status_code == 404, query
    everything = table_read(data=c.get(URL, {"format": "csv"}).content)
    assert "SN-999" not in {r["serial number"] for _, r in everything.rows}


def test_an_accountant_may_export(client, recorded):
    accountant = MembershipFactory(company=recorded["alpha"], role="accountant").user
    response = _client(client, accountant).get(
        URL, {"order": recorded["shipped"].number, "format": "csv"}
    )
    assert response.status_code == 200


def test_the_page_in_russian(client, recorded):
    client.cookies["django_language"] = "ru"
    body = _client(client, recorded["alpha_buyer"]).get(URL).content.decode()
    assert "Серийные номера" in body
    assert "Найти отгрузку по серийному номеру" in body
    assert recorded["shipped"].number in body


def test_the_order_page_links_its_serials(client, recorded):
    number = recorded["shipped"].number
    body = (
        _client(client, recorded["alpha_buyer"])
        .get(reverse("cabinet:order-detail", args=[number]))
        .content.decode()
    )
    assert f"{URL}?order={number}&amp;format=xlsx" in body


# -- staff -----------------------------------------------------------------------


def test_staff_page_shows_line_errors_then_imports(client, world, staff):
    c = _client(client, staff)
    number = world["shipped"].number
    bad = c.post(
        "/dashboard/serials/", {"text": f"order;article;serial\n{number};NOPE;S-1\n"}
    )
    assert bad.status_code == 200
    assert 'id="serial-errors"' in bad.content.decode()
    assert not SerialNumber.objects.exists()

    good = c.post(
        "/dashboard/serials/",
        {"text": f"order\tarticle\tserial\n{number}\tMTR-0.75\tS-1\n"},
    )
    assert "alert-success" in good.content.decode()
    assert SerialNumber.objects.get().serial == "S-1"
    order_page = c.get(f"/dashboard/serials/orders/{number}/")
    assert "S-1" in order_page.content.decode()


def test_staff_page_is_scoped_and_closed_to_customers(client, world):
    manager = StaffFactory()
    account_manager_add(manager)
    c = _client(client, manager)
    assert (
        c.get(f"/dashboard/serials/orders/{world['shipped'].number}/").status_code
        == 404
    )
    c.force_login(world["alpha_buyer"])
    assert c.get("/dashboard/serials/").status_code == 403


# -- the API ---------------------------------------------------------------------


def _token(user, company):
    MembershipFactory(user=user, company=company, role="admin")
    return ApiToken.issue(user=user, company=company, name="ERP")[1]


def _post(client, key, body):
    return client.post(
        "/api/v1/serials",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )


def test_api_records_serials_for_a_staff_token(client, world, staff):
    key = _token(staff, world["beta"])
    response = _post(
        client,
        key,
        {
            "order": world["shipped"].number,
            "lines": [
                {"article": "MTR-0.75", "serial": "API-1"},
                {
                    "line": world["shipped"].lines.get(product=world["bolt"]).pk,
                    "batch": "L1",
                },
            ],
        },
    )
    assert (response.status_code, response.json()["created"]) == (201, 2)
    assert SerialNumber.objects.count() == 2


def test_api_answers_400_with_every_error_and_saves_nothing(client, world, staff):
    key = _token(staff, world["beta"])
    response = _post(
        client,
        key,
        {
            "order": world["shipped"].number,
            "lines": [
                {"article": "MTR-0.75", "serial": "API-1"},
                {"article": "NOPE", "serial": "API-2"},
                {"article": "MTR-0.75"},
                {"article": "MTR-0.75", "serial": "api 1"},
            ],
        },
    )
    assert response.status_code == 400
    assert [(e["line"], e["field"]) for e in response.json()["errors"]] == [
        (2, "article"),
        (3, "serial"),
        (4, "serial"),
    ]
    assert not SerialNumber.objects.exists()
    assert _post(client, key, {"lines": "x"}).status_code == 400


def test_api_refuses_a_customer_token(client, world):
    key = ApiToken.issue(user=world["alpha_buyer"], company=world["alpha"], name="ERP")[
        1
    ]
    response = _post(
        client,
        key,
        {
            "order": world["shipped"].number,
            "lines": [{"article": "MTR-0.75", "serial": "X"}],
        },
    )
    assert response.status_code == 403
    assert not SerialNumber.objects.exists()


def test_the_page_reads_a_constant_number_of_queries(
    client, recorded, staff, django_assert_max_num_queries
):
    c = _client(client, recorded["alpha_buyer"])
    with django_assert_max_num_queries(20):
        assert c.get(URL, {"q": "SN-100"}).status_code == 200
    with django_assert_max_num_queries(20):
        assert c.get(URL, {"format": "csv"}).status_code == 200
