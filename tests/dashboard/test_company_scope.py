"""An account manager works with the companies they manage: their orders, invoices,
leads and figures; another company's object is a 404 and changes nothing."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from content.models import Lead
from invoicing.groups import FINANCE_GROUP
from invoicing.models import Payment
from invoicing.services.payments import bank_payment_record
from sales.order.models import Order
from tests.cabinet.factories import order_make, priced_product

pytestmark = pytest.mark.django_db


def _numbers(response):
    return sorted(order.number for order in response.context["orders"])


def test_order_list_shows_the_managers_companies_only(manager_client, own, foreign):
    response = manager_client.get("/dashboard/orders/")

    assert response.status_code == 200
    assert _numbers(response) == [own["order"].number]
    csv = manager_client.get("/dashboard/orders/?response_format=csv&select_across=1")
    assert own["order"].number in csv.content.decode()
    assert foreign["order"].number not in csv.content.decode()


def test_a_foreign_order_number_is_not_found(manager_client, own, foreign):
    number = foreign["order"].number
    response = manager_client.get(f"/dashboard/orders/?order_number={number}")
    assert response.status_code == 200
    assert _numbers(response) == []


@pytest.mark.parametrize(
    "path",
    ["{number}/", "{number}/lines/{line}/", "{number}/shipping-address/"],
)
def test_order_pages_open_for_own_orders_and_404_for_foreign(
    manager_client, own, foreign, path
):
    def url(order):
        line = order.lines.get().pk
        return "/dashboard/orders/" + path.format(number=order.number, line=line)

    assert manager_client.get(url(own["order"])).status_code == 200
    assert manager_client.get(url(foreign["order"])).status_code == 404


def test_a_foreign_order_cannot_be_changed(manager_client, own, foreign):
    order = foreign["order"]

    detail = manager_client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Processing"},
    )
    bulk = manager_client.post(
        "/dashboard/orders/",
        {
            "action": "change_order_statuses",
            "selected_order": [order.pk],
            "new_status": "Processing",
        },
    )

    assert detail.status_code == 404
    assert bulk.status_code == 302
    order.refresh_from_db()
    assert order.status == "Pending"
    assert not order.notes.exists()


def test_own_order_status_can_be_changed(manager_client, own):
    order = own["order"]

    manager_client.post(
        f"/dashboard/orders/{order.number}/",
        {"order_action": "change_order_status", "new_status": "Processing"},
    )

    order.refresh_from_db()
    assert order.status == "Processing"


def test_statistics_and_home_count_the_managers_companies_only(
    manager_client, own, foreign
):
    stats = manager_client.get("/dashboard/orders/statistics/").context
    home = manager_client.get("/dashboard/").context

    assert (stats["total_orders"], stats["total_lines"]) == (1, 1)
    assert stats["total_revenue"] == own["order"].total_incl_tax
    assert (home["total_orders"], home["total_orders_last_day"]) == (1, 1)
    assert home["total_revenue"] == own["order"].total_incl_tax
    assert home["total_customers"] == 1


def test_a_superuser_sees_every_companys_orders(client, staff_user, own, foreign):
    client.force_login(staff_user)

    response = client.get("/dashboard/orders/")

    assert _numbers(response) == sorted([own["order"].number, foreign["order"].number])
    assert client.get("/dashboard/").context["total_orders"] == Order.objects.count()
    url = f"/dashboard/orders/{foreign['order'].number}/"
    assert client.get(url).status_code == 200


def test_the_django_admin_shows_a_manager_no_orders(manager_client, own, foreign):
    assert manager_client.get("/admin/order/order/").status_code == 403


def test_invoice_list_and_detail_are_scoped(manager_client, own, foreign):
    listing = manager_client.get("/dashboard/invoicing/")

    assert [i.pk for i in listing.context["page_obj"]] == [own["invoice"].pk]
    own_url = f"/dashboard/invoicing/{own['invoice'].pk}/"
    foreign_url = f"/dashboard/invoicing/{foreign['invoice'].pk}/"
    assert manager_client.get(own_url).status_code == 200
    assert manager_client.get(foreign_url).status_code == 404


def test_foreign_invoices_and_payments_cannot_be_touched(
    manager_client, manager, own, foreign
):
    # A manager who is also in finance, so the company scope is what refuses.
    manager.groups.add(Group.objects.get(name=FINANCE_GROUP))
    invoice = foreign["invoice"]
    payment = bank_payment_record(
        company=foreign["company"],
        amount=Decimal("10.00"),
        received_on=timezone.localdate(),
        reference="PP-1",
        recorded_by=manager,
    )
    invoice.refresh_from_db()
    before = (invoice.status, invoice.amount_paid, Payment.objects.count())

    credit = manager_client.post(f"/dashboard/invoicing/{invoice.pk}/credit-note/")
    pay_invoice = manager_client.post(
        f"/dashboard/invoicing/payments/new/?invoice={invoice.pk}",
        {"company": foreign["company"].pk, "amount": "5.00"},
    )
    pay_company = manager_client.post(
        "/dashboard/invoicing/payments/new/",
        {
            "company": foreign["company"].pk,
            "amount": "5.00",
            "received_on": timezone.localdate().isoformat(),
        },
    )
    refund = manager_client.post(
        f"/dashboard/invoicing/payments/{payment.pk}/refund/", {"amount": "1.00"}
    )

    assert (credit.status_code, pay_invoice.status_code) == (404, 404)
    assert pay_company.status_code == 200  # the company is not a choice
    assert "company" in pay_company.context["form"].errors
    assert refund.status_code == 404
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid, Payment.objects.count()) == before
    assert not invoice.credit_notes.exists()


def test_the_payment_form_offers_the_managers_companies_only(
    manager_client, manager, own, foreign
):
    manager.groups.add(Group.objects.get(name=FINANCE_GROUP))
    form = manager_client.get("/dashboard/invoicing/payments/new/").context["form"]

    assert list(form.fields["company"].queryset) == [own["company"]]


def test_leads_list_shows_the_managers_companies_only(
    manager_client, client, staff_user, own, foreign
):
    Lead.objects.create(name="Visitor", phone="+7 900 000-00-00")

    response = manager_client.get("/dashboard/leads/")

    assert response.status_code == 200
    assert [lead.pk for lead in response.context["page_obj"]] == [own["lead"].pk]
    body = response.content.decode()
    assert own["lead"].email in body
    assert foreign["lead"].email not in body and "Visitor" not in body
    client.force_login(staff_user)
    everything = client.get("/dashboard/leads/").context["page_obj"]
    assert len(everything) == Lead.objects.count() == 3


def test_leads_are_for_staff_only(buyer):
    visitor, customer = Client(), Client()
    customer.force_login(buyer)

    assert visitor.get("/dashboard/leads/").status_code == 302
    assert customer.get("/dashboard/leads/").status_code == 403


def test_leads_and_orders_lists_query_budget(
    manager_client, own, django_assert_max_num_queries
):
    buyer = own["order"].user
    for n in range(20):
        Lead.objects.create(email=f"buyer{n}@alpha.example", company=own["company"])
        order_make(
            company=own["company"], user=buyer, lines=[(priced_product(), 1, "5.00")]
        )

    with django_assert_max_num_queries(10):
        assert manager_client.get("/dashboard/leads/").status_code == 200
    with django_assert_max_num_queries(15):
        assert manager_client.get("/dashboard/orders/").status_code == 200
