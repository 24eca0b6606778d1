"""A fresh demo fills every cabinet page of the main demo company: orders, invoices
in each state (one overdue, marked by the daily overdue run), purchase lists shared
by the company, and the team for its administrator."""

import io

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company, User
from cabinet.models import PurchaseList
from catalog.models import Lifecycle
from invoicing.models import Invoice, InvoiceStatus
from sales.order.models import Order

pytestmark = pytest.mark.django_db

ADMIN = "admin@stroymontazh.demo"
BUYER = "buyer@stroymontazh.demo"


@pytest.fixture
def demo():
    out = io.StringIO()
    call_command("load_demo", "--products", "60", "--seed", "3", stdout=out)
    return out.getvalue()


def _page(client, email, name, *args):
    client.force_login(User.objects.get(email=email))
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200, (email, name)
    return BeautifulSoup(response.content, "html.parser")


def _invoice_rows(page) -> dict[str, str]:
    """Invoice number → the status shown on its row."""
    rows = {}
    for row in page.select("#invoice-table tbody tr"):
        number = row.select_one('td[data-label="Number"]')
        status = row.select_one('td[data-label="Status"]')
        if number and status:
            rows[number.get_text(strip=True)] = status.get_text(strip=True)
    return rows


def test_the_demo_has_invoices_in_every_state_and_loads_once(demo):
    company = Company.objects.get(name="Stroymontazh")
    invoices = Invoice.objects.invoices().for_company(company)
    by_status = {s: invoices.filter(status=s).count() for s in InvoiceStatus.values}
    assert by_status[InvoiceStatus.PAID] == 1
    assert by_status[InvoiceStatus.PARTLY_PAID] == 1
    assert by_status[InvoiceStatus.OVERDUE] == 1
    assert by_status[InvoiceStatus.ISSUED] >= 1

    today = timezone.localdate()
    overdue = invoices.get(status=InvoiceStatus.OVERDUE)
    # issued with its order (weeks ago), unpaid, due date passed
    assert overdue.issue_date == timezone.localdate(overdue.order.date_placed)
    assert overdue.issue_date < overdue.due_date < today
    assert overdue.amount_paid == 0
    part = invoices.get(status=InvoiceStatus.PARTLY_PAID)
    assert 0 < part.amount_paid < part.total_incl_vat
    assert part.due_date >= today
    for waiting in invoices.filter(status=InvoiceStatus.ISSUED):
        assert waiting.amount_paid == 0 and waiting.due_date >= today
    assert "Invoices of Stroymontazh: 1 paid, 1 partly paid, 1 overdue" in demo

    counts = (PurchaseList.objects.count(), Invoice.objects.count())
    out = io.StringIO()
    call_command("load_demo", "--products", "60", "--if-empty", stdout=out)
    assert "nothing to do" in out.getvalue()
    assert (PurchaseList.objects.count(), Invoice.objects.count()) == counts


@pytest.mark.parametrize("email", [ADMIN, BUYER])
def test_the_demo_fills_the_cabinet_pages(client, demo, email):
    company = Company.objects.get(name="Stroymontazh")

    orders = _page(client, email, "cabinet:order-list")
    numbers = set(
        Order.objects.filter(company=company).values_list("number", flat=True)
    )
    linked = {a["href"] for a in orders.select("a[href]")}
    assert len(numbers) >= 4
    assert linked >= {reverse("cabinet:order-detail", args=[n]) for n in numbers}

    shown = _invoice_rows(_page(client, email, "cabinet:invoice-list"))
    invoices = Invoice.objects.invoices().for_company(company)
    assert shown == {
        invoice.display_number: invoice.get_status_display() for invoice in invoices
    }
    assert set(shown.values()) >= {"Paid", "Partly paid", "Overdue", "Awaiting payment"}

    lists = _page(client, email, "cabinet:list-index")
    names = [a.get_text(strip=True) for a in lists.select("#list-table tbody td a")]
    assert names and set(names) == set(
        PurchaseList.objects.filter(company=company).values_list("name", flat=True)
    )
    assert {"Объект Южный — электрика", "Ежемесячный расход"} <= set(names)
    south = PurchaseList.objects.get(company=company, name="Объект Южный — электрика")
    detail = _page(client, email, "cabinet:list-detail", south.pk)
    articles = [
        a.get_text(strip=True) for a in detail.select("#list-lines-table a.article")
    ]
    assert len(articles) >= 3
    assert articles == [
        line.product.article for line in south.lines.order_by("position")
    ]
    assert "щит ЩР-1, 1 этаж" in detail.get_text()


def test_the_demo_lists_are_shared_and_in_whole_packs(client, demo):
    company = Company.objects.get(name="Stroymontazh")
    lists = PurchaseList.objects.filter(company=company)
    assert {pl.created_by.email for pl in lists} == {ADMIN, BUYER}
    for other in ("Zavod", "Dealer", "NewCo"):
        assert PurchaseList.objects.filter(company__name=other).exists()
    for pl in PurchaseList.objects.prefetch_related("lines__product"):
        assert pl.lines.exists(), pl.name
        for line in pl.lines.all():
            step = line.product.order_step or 1
            assert line.quantity >= (line.product.min_order_qty or 1)
            assert line.quantity % step == 0, (pl.name, line.product.article)
    # a discontinued line, where the list offers its successor
    monthly = lists.get(name="Ежемесячный расход")
    old = monthly.lines.get(product__lifecycle=Lifecycle.DISCONTINUED).product
    page = _page(client, BUYER, "cabinet:list-detail", monthly.pk)
    offer = page.select_one('[data-testid="replacement"]').get_text(" ", strip=True)
    assert old.successor.article in offer


def test_the_team_page_lists_the_team_for_the_admin_only(client, demo):
    team = _page(client, ADMIN, "cabinet:team")
    members = team.select(".team-member")
    emails = team.select_one("#team-members").get_text()
    assert len(members) >= 5
    for email in (
        ADMIN,
        BUYER,
        "approver@stroymontazh.demo",
        "former@stroymontazh.demo",
    ):
        assert email in emails
    assert "snab@stroymontazh.demo" in team.select_one("#team-invitations").get_text()
    assert team.select("#team-events li")

    client.force_login(User.objects.get(email=BUYER))
    assert client.get(reverse("cabinet:team")).status_code == 403


def test_the_admin_sees_the_api_tokens_of_the_demo(client, demo):
    page = _page(client, ADMIN, "cabinet:api-tokens")
    rows = [r.get_text(" ", strip=True) for r in page.select("tr.api-token")]
    assert len(rows) == 2
    erp, revoked = rows
    assert "1С:ERP" in erp and "Смирнов" in erp and "Revoke" in erp
    assert "Отчёты BI" in revoked and "revoked" in revoked


def test_the_demo_has_reservations_in_every_state(client, demo):
    from sales.reservations.models import Reservation, ReservationStatus

    company = Company.objects.get(name="Zavod")
    by_status = {
        r.status: r for r in Reservation.objects.filter(company=company).order_by("pk")
    }
    assert set(by_status) == set(ReservationStatus.values)
    converted = by_status[ReservationStatus.CONVERTED]
    assert converted.invoice.status == InvoiceStatus.PAID
    assert converted.invoice.order_id == converted.order_id
    for ended in (ReservationStatus.EXPIRED, ReservationStatus.CANCELLED):
        invoice = by_status[ended].invoice
        assert invoice.status == InvoiceStatus.CANCELLED
        assert invoice.credit_notes.count() == 1
    page = _page(client, "buyer@zavod.demo", "cabinet:reservations")
    rows = page.select(".reservation-row")
    assert len(rows) == 4
    assert page.select_one(f"#row-{by_status['active'].number} .reservation-actions")
