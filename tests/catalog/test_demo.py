"""load_demo: deterministic for a seed, creates the README's logins and an order
history placed through the real services."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Company, User
from catalog.models import AnalogueGroup, CrossReference, Product
from invoicing.models import DeliveryNote, Invoice, InvoiceStatus
from sales.order.models import LineAllocation, Order, PaymentMethod

pytestmark = pytest.mark.django_db


def _articles():
    return list(Product.objects.order_by("pk").values_list("article", flat=True))


def test_demo_is_deterministic_and_has_the_logins(django_db_blocker):
    call_command("load_demo", "--products", "60", "--seed", "3", stdout=io.StringIO())
    first = _articles()
    assert len(first) == 60
    assert CrossReference.objects.exists() and AnalogueGroup.objects.exists()
    for email in [
        "admin@demo.local", "manager@demo.local", "buyer@stroymontazh.demo",
        "admin@stroymontazh.demo", "approver@stroymontazh.demo",
        "accountant@stroymontazh.demo", "buyer@zavod.demo", "buyer@dealer.demo",
        "pending@newco.demo",
    ]:  # fmt: skip
        assert User.objects.get(email=email).check_password("demo12345")
    assert Company.objects.get(name="NewCo").status == Company.Status.PENDING
    assert User.objects.get(email="buyer@dealer.demo").memberships.count() == 2
    call_command("load_demo", "--products", "60", "--if-empty", stdout=io.StringIO())
    assert _articles() == first
    Product.objects.all().delete()
    call_command("load_demo", "--products", "60", "--seed", "3", stdout=io.StringIO())
    assert _articles() == first


def test_demo_orders_fill_the_buyers_cabinet(client):
    call_command("load_demo", "--products", "60", "--seed", "3", stdout=io.StringIO())
    buyer = User.objects.get(email="buyer@stroymontazh.demo")
    company = Company.objects.get(name="Stroymontazh")
    orders = Order.objects.filter(company=company).order_by("date_placed")

    assert 3 <= orders.count() <= 6
    for other in ("Zavod", "Dealer"):
        # (Zavod's reservation paid by bank transfer became one more order)
        assert 3 <= Order.objects.filter(company__name=other).count() <= 7
        shipped = Order.objects.get(company__name=other, status="Shipped")
        assert DeliveryNote.objects.filter(order=shipped).exists()
    assert {o.payment_method for o in orders} == {
        PaymentMethod.ON_ACCOUNT,
        PaymentMethod.BANK_TRANSFER,
    }
    # partly back-ordered: one line served from stock now and the rest later
    backorder = LineAllocation.objects.get(
        line__order__company=company, is_backorder=True
    )
    assert backorder.line.allocations.filter(is_backorder=False).exists()
    assert backorder.expected_date > timezone.localdate()
    shipped = orders.get(status="Shipped")
    assert DeliveryNote.objects.filter(order=shipped).exists()
    invoices = Invoice.objects.filter(company=company)
    assert invoices.count() == orders.count()
    paid = invoices.get(status=InvoiceStatus.PAID)
    assert paid.order == shipped and paid.amount_paid == paid.total_incl_vat
    assert orders.first().date_placed < timezone.now() - timedelta(days=60)
    assert len({o.date_placed.date() for o in orders}) == orders.count()

    client.force_login(buyer)
    page = client.get(reverse("cabinet:order-list")).content.decode()
    for order in orders:
        assert reverse("cabinet:order-detail", args=[order.number]) in page
    for order in Order.objects.exclude(company=company):
        assert reverse("cabinet:order-detail", args=[order.number]) not in page
    cutoff = (timezone.localdate() - timedelta(days=30)).isoformat()
    recent = client.get(reverse("cabinet:order-list"), {"date_from": cutoff})
    newest = orders.last()
    assert reverse("cabinet:order-detail", args=[newest.number]) in (
        recent.content.decode()
    )
    assert reverse("cabinet:order-detail", args=[shipped.number]) not in (
        recent.content.decode()
    )
