"""The one-page B2B checkout: who may order, what an order records, credit and
stock refusals, double submission."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import CompanyAddress, LegalEntity
from catalog.partner.models import StockRecord
from invoicing.models import Invoice, InvoiceStatus
from sales.basket.models import Basket
from sales.checkout.models import ApprovalPolicy
from sales.order.models import Order, PaymentMethod
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import (
    CreditAccountFactory,
    basket_make,
    invoice_make,
    stockrecord_make,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("vat_strategy")]


@pytest.fixture
def basket(buyer, stockrecord):
    return basket_make(user=buyer, items=[(stockrecord, 2)])  # 2000 + 400 VAT


def form_data(basket, **overrides):
    data = {
        "basket_id": basket.pk,
        "address": "new",
        "recipient": "Ivan Petrov",
        "line1": "ul. Lenina, 1",
        "city": "Tula",
        "postcode": "300000",
        "phone": "+7 900 000-00-00",
        "payer": "own",
        "payment_method": PaymentMethod.ON_ACCOUNT,
        "po_number": "PO-77",
        "desired_delivery_date": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "comment": "Gate 4",
    }
    data.update(overrides)
    return data


def test_checkout_page_shows_the_form_and_the_basket(
    buyer_client, basket, seller, credit_account, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        response = buyer_client.get("/checkout/")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="checkout-form"' in body
    assert "On account (deferred payment)" in body
    assert "2,400.00" in body or "2400.00" in body or "2 400,00" in body


def test_members_who_may_not_order_get_a_clear_message(client, company):
    accountant = MembershipFactory(company=company, role="accountant").user
    client.force_login(accountant)

    response = client.get("/checkout/")

    assert response.status_code == 403
    assert "Your role does not allow placing orders" in response.content.decode()


def test_unapproved_company_cannot_order(client):
    membership = MembershipFactory(company=CompanyFactory(status="pending"))
    client.force_login(membership.user)

    response = client.post("/checkout/", {"basket_id": 1})

    assert response.status_code == 403
    assert "not approved yet" in response.content.decode()
    assert Order.objects.count() == 0


def test_placing_an_order_on_account(
    buyer_client, buyer, company, basket, stockrecord, seller, credit_account
):
    entity = LegalEntity.objects.create(
        company=company, legal_name="АО Филиал", tax_id="7736207543", kpp="773601001"
    )

    response = buyer_client.post("/checkout/", form_data(basket, payer=str(entity.pk)))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/checkout/thank-you/{order.number}/"
    assert (order.company, order.user, order.po_number, order.comment) == (
        company,
        buyer,
        "PO-77",
        "Gate 4",
    )
    assert order.payment_method == PaymentMethod.ON_ACCOUNT
    assert order.total_incl_tax == Decimal("2400.00")
    assert order.shipping_address.line4 == "Tula"
    assert CompanyAddress.objects.get(company=company).line1 == "ul. Lenina, 1"
    invoice = Invoice.objects.get()
    assert (invoice.order, invoice.payer_name, invoice.total_incl_vat) == (
        order,
        "АО Филиал",
        Decimal("2400.00"),
    )
    assert invoice.due_date == invoice.issue_date + timedelta(days=30)
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 2
    assert Basket.objects.get(pk=basket.pk).status == Basket.SUBMITTED
    page = buyer_client.get(response["Location"])
    assert invoice.display_number in page.content.decode()


def test_double_submission_creates_one_order(
    buyer_client, basket, stockrecord, seller, credit_account
):
    first = buyer_client.post("/checkout/", form_data(basket))
    second = buyer_client.post("/checkout/", form_data(basket))

    assert Order.objects.count() == 1
    assert first["Location"] == second["Location"]
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 2
    assert Invoice.objects.count() == 1


def test_order_over_the_credit_limit_is_refused_and_nothing_is_saved(
    buyer_client, company, basket, stockrecord, seller
):
    CreditAccountFactory(company=company, credit_limit=Decimal("2399.99"))

    response = buyer_client.post("/checkout/", form_data(basket), follow=True)

    assert "exceeds your available credit" in response.content.decode()
    assert Order.objects.count() == 0
    assert Invoice.objects.count() == 0
    assert CompanyAddress.objects.filter(company=company).count() == 0
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 0
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_an_invoice_overdue_beyond_grace_blocks_orders_on_account(
    buyer_client, company, basket, seller
):
    CreditAccountFactory(company=company, grace_days=3)
    old = invoice_make(company=company, payment_method=PaymentMethod.ON_ACCOUNT)
    Invoice.objects.filter(pk=old.pk).update(
        due_date=timezone.localdate() - timedelta(days=4)
    )

    response = buyer_client.post("/checkout/", form_data(basket), follow=True)

    assert "is overdue" in response.content.decode()
    assert Order.objects.count() == 0


def test_within_grace_days_an_order_on_account_passes(
    buyer_client, company, basket, seller
):
    CreditAccountFactory(company=company, grace_days=3)
    old = invoice_make(company=company, payment_method=PaymentMethod.ON_ACCOUNT)
    Invoice.objects.filter(pk=old.pk).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )

    buyer_client.post("/checkout/", form_data(basket))

    assert Order.objects.count() == 1


def test_more_than_is_free_is_placed_with_the_rest_back_ordered(
    buyer_client, buyer, company, seller
):
    stockrecord = stockrecord_make(price="10.00", stock=5)
    basket = basket_make(user=buyer, items=[(stockrecord, 5)])
    StockRecord.objects.filter(pk=stockrecord.pk).update(num_allocated=1)

    buyer_client.post(
        "/checkout/", form_data(basket, payment_method=PaymentMethod.BANK_TRANSFER)
    )

    line = Order.objects.get().lines.get()
    parts = [(a.quantity, a.is_backorder) for a in line.allocations.all()]
    assert parts == [(4, False), (1, True)]
    assert line.num_allocated == 4
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 5


def test_another_companys_address_is_refused(buyer_client, basket, seller):
    foreign = CompanyAddress.objects.create(
        company=CompanyFactory(), recipient="X", line1="Y", city="Z"
    )

    response = buyer_client.post(
        "/checkout/",
        form_data(basket, address=str(foreign.pk), payment_method="bank_transfer"),
    )

    assert response.status_code == 200
    assert Order.objects.count() == 0


def test_without_credit_terms_on_account_is_not_offered(buyer_client, basket, seller):
    response = buyer_client.post("/checkout/", form_data(basket))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="on_account"' not in body
    assert "on_account is not one of the available choices" in body
    assert Order.objects.count() == 0


def test_card_order_leads_to_pay_by_card(buyer_client, basket, seller, settings):
    settings.STRIPE_SECRET_KEY = "sk_test_x"
    response = buyer_client.post(
        "/checkout/", form_data(basket, payment_method=PaymentMethod.CARD), follow=True
    )

    invoice = Invoice.objects.get()
    assert invoice.status == InvoiceStatus.ISSUED
    assert f"/cabinet/invoices/{invoice.pk}/pay/" in response.content.decode()


def test_another_companys_thank_you_page_is_not_found(
    client, buyer_client, basket, seller
):
    buyer_client.post("/checkout/", form_data(basket, payment_method="bank_transfer"))
    order = Order.objects.get()
    other = MembershipFactory(company=CompanyFactory()).user
    client.force_login(other)

    assert client.get(f"/checkout/thank-you/{order.number}/").status_code == 404


# -- spending limits (set on the team page) -----------------------------------


def _limit(buyer, *, per_order=None, per_month=None):
    membership = buyer.memberships.get()
    membership.spending_limit, membership.monthly_limit = per_order, per_month
    membership.save()


def test_above_the_limit_with_nobody_to_approve_it_nothing_is_written(
    buyer_client, buyer, basket, stockrecord, seller, credit_account
):
    _limit(buyer, per_order=Decimal("2399.99"))  # the basket is 2,400.00 incl. VAT

    response = buyer_client.post("/checkout/", form_data(basket), follow=True)

    assert "nobody else in your company can approve it" in response.content.decode()
    assert (Order.objects.count(), Invoice.objects.count()) == (0, 0)
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 0
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_an_order_at_the_limit_is_placed(
    buyer_client, buyer, basket, seller, credit_account
):
    _limit(buyer, per_order=Decimal("2400.00"), per_month=Decimal("2400.00"))

    response = buyer_client.post("/checkout/", form_data(basket))

    assert response.status_code == 302
    assert Order.objects.count() == 1


def test_the_monthly_limit_counts_this_months_orders_but_not_cancelled_ones(
    buyer_client, buyer, basket, stockrecord, seller, credit_account
):
    _limit(buyer, per_month=Decimal("4000.00"))
    # The company refuses such orders instead of sending them for approval.
    ApprovalPolicy.objects.create(
        company=buyer.memberships.get().company, over_limits=False
    )
    assert buyer_client.post("/checkout/", form_data(basket)).status_code == 302
    second = basket_make(user=buyer, items=[(stockrecord, 2)])

    refused = buyer_client.post("/checkout/", form_data(second), follow=True)

    assert "above the monthly limit" in refused.content.decode()
    assert Order.objects.count() == 1
    Order.objects.update(status="Cancelled")
    placed = buyer_client.post("/checkout/", form_data(second))
    assert placed.status_code == 302
    assert Order.objects.count() == 2
