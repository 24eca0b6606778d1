"""The serial numbers API for the buyer: the company's serials and batches filtered
by order, shipment, serial or article, paginated, and the same rows as CSV/XLSX;
another company's order or delivery note is a 404."""

import io

import pytest
from openpyxl import load_workbook

from accounts.models import ApiToken, Role
from catalog.importing.tables import table_read
from invoicing.serials import serials_add
from invoicing.services.delivery import delivery_note_issue
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory
from tests.invoicing.factories import SellerEntityFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/cabinet/serials/"


@pytest.fixture(autouse=True)
def _no_pdf_on_commit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def world(db):
    SellerEntityFactory()
    staff = StaffFactory(is_superuser=True)
    motor = priced_product(article="MTR-0.75", title="Motor 0.75 kW")
    bolt = priced_product(article="DIN933-M8x40", title="Bolt M8x40")
    alpha, beta = CompanyFactory(name="Alpha"), CompanyFactory(name="Beta")
    buyer = MembershipFactory(company=alpha, role=Role.BUYER).user
    beta_buyer = MembershipFactory(company=beta, role=Role.BUYER).user
    shipped = order_make(
        company=alpha,
        user=buyer,
        lines=[(motor, 3, "100"), (bolt, 200, "1")],
        status="Shipped",
        po_number="PO-ALPHA",
    )
    note = delivery_note_issue(order=shipped)
    second = order_make(company=alpha, user=buyer, lines=[(motor, 2, "100")])
    foreign = order_make(
        company=beta, user=beta_buyer, lines=[(motor, 5, "100")], status="Shipped"
    )
    foreign_note = delivery_note_issue(order=foreign)
    for order, lines in (
        (
            shipped,
            [
                {"article": "MTR-0.75", "serial": "SN-100", "batch": "2407"},
                {"article": "MTR-0.75", "serial": "=HYPERLINK(1)", "batch": "+7"},
                {"article": "DIN933-M8x40", "batch": "L-88"},
            ],
        ),
        (second, [{"article": "MTR-0.75", "serial": "SN-200"}]),
        (foreign, [{"article": "MTR-0.75", "serial": "SN-999"}]),
    ):
        assert serials_add(user=staff, order=order.number, lines=lines).ok
    reader = ApiToken.issue(user=buyer, company=alpha, name="BI", scopes=["read"])[1]
    return {
        "shipped": shipped,
        "second": second,
        "note": note,
        "foreign": foreign,
        "foreign_note": foreign_note,
        "reader": reader,
        "alpha": alpha,
        "buyer": buyer,
    }


def _get(client, key, url=API, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Token {key}")


def test_the_companys_serials_with_their_shipment(client, world):
    listed = _get(client, world["reader"]).json()
    assert listed["count"] == 4
    serials = {row["serial"] for row in listed["results"]}
    assert serials == {"SN-100", "=HYPERLINK(1)", "", "SN-200"}
    first = next(r for r in listed["results"] if r["serial"] == "SN-100")
    note = world["note"]
    assert first == {
        "order": world["shipped"].number,
        "po_number": "PO-ALPHA",
        "delivery_note": note.display_number,
        "delivery_note_id": note.pk,
        "shipped_on": first["shipped_on"],
        "article": "MTR-0.75",
        "product": "Motor 0.75 kW",
        "serial": "SN-100",
        "batch": "2407",
    }
    assert first["shipped_on"]
    unshipped = next(r for r in listed["results"] if r["serial"] == "SN-200")
    assert unshipped["delivery_note"] is None and unshipped["shipped_on"] is None


def test_filters_by_order_shipment_serial_and_article(client, world):
    key = world["reader"]

    def serials(**params):
        response = _get(client, key, **params)
        assert response.status_code == 200, params
        return sorted(
            row["serial"] or row["batch"] for row in response.json()["results"]
        )

    assert serials(order=world["second"].number) == ["SN-200"]
    assert serials(delivery_note=world["note"].pk) == [
        "=HYPERLINK(1)",
        "L-88",
        "SN-100",
    ]
    assert serials(serial="sn 100") == ["SN-100"]
    assert serials(serial="SN-999") == []
    assert serials(article="din933 m8x40") == ["L-88"]
    assert serials(article="MTR-0.75", order=world["shipped"].number) == [
        "=HYPERLINK(1)",
        "SN-100",
    ]


def test_another_companys_order_or_shipment_is_404(client, world):
    key = world["reader"]
    for params in (
        {"order": world["foreign"].number},
        {"order": "NO-SUCH"},
        {"delivery_note": world["foreign_note"].pk},
        {"delivery_note": 2**70},
    ):
        for url in (API, f"{API}export"):
            response = _get(client, key, url, **params)
            assert response.status_code == 404, (url, params)
            assert response.json()["detail"]


def test_bad_filters_are_400(client, world):
    for params in (
        {"delivery_note": "abc"},
        {"delivery_note": "-1"},
        {"from": "tomorrow"},
        {"from": "2026-05-01", "to": "2026-01-01"},
        {"serial": "x" * 65},
        {"serial": "a\x00"},
        {"page": "0"},
        {"page": "abc"},
    ):
        response = _get(client, world["reader"], **params)
        assert response.status_code == 400, params
        assert response.json()["detail"]
    response = _get(client, world["reader"], f"{API}export", format="pdf")
    assert response.status_code == 400


def test_the_export_is_the_pages_file_with_formulas_escaped(client, world):
    key = world["reader"]
    response = _get(client, key, f"{API}export", order=world["shipped"].number)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert f"serials-{world['shipped'].number}.csv" in response["Content-Disposition"]
    table = table_read(data=response.content, filename="s.csv")
    cells = [row[1] for row in table.rows]
    assert {c["serial number"] for c in cells} == {"SN-100", "=HYPERLINK(1)", ""}
    assert "'=HYPERLINK(1)" in response.content.decode("utf-8-sig")  # escaped
    xlsx = _get(client, key, f"{API}export", format="xlsx", serial="SN-200")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2 and "SN-200" in rows[1]


def test_roles_scopes_and_sessions(client, world):
    assert client.get(API).status_code == 401
    accountant = MembershipFactory(company=world["alpha"], role=Role.ACCOUNTANT).user
    client.force_login(accountant)
    assert client.get(API).json()["count"] == 4
    client.logout()
    no_read = ApiToken.issue(
        user=world["buyer"], company=world["alpha"], name="x", scopes=["order"]
    )[1]
    for url in (API, f"{API}export"):
        response = _get(client, no_read, url)
        assert response.status_code == 403, url
        assert "read" in response.json()["detail"]


def test_the_list_takes_the_same_queries_whatever_the_count(
    client, world, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert _get(client, world["reader"]).json()["count"] == 4
    staff = StaffFactory(is_superuser=True)
    motor = priced_product(article="MTR-9", title="Motor 9")
    order = order_make(
        company=world["alpha"], user=world["buyer"], lines=[(motor, 30, "10")]
    )
    lines = [{"article": "MTR-9", "serial": f"M9-{n}"} for n in range(30)]
    assert serials_add(user=staff, order=order.number, lines=lines).ok
    with django_assert_max_num_queries(8):
        assert _get(client, world["reader"]).json()["count"] == 34
