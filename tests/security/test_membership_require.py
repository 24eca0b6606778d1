"""The one permission check: `Membership.allows` / `require`, `membership_require`,
and the services that order, invoice or take a payment asking it before any work."""

import pytest
from django.urls import reverse
from django.utils.translation import override

from accounts.models import (
    ACTING_PERMISSIONS,
    ROLE_PERMISSIONS,
    ActionRefused,
    Company,
    membership_require,
)
from catalog.partner.strategy import CompanyPricing
from invoicing.exceptions import InvoicingError, PaymentError
from invoicing.models import Invoice, Payment
from invoicing.services.invoices import invoice_issue, invoice_issue_from_basket
from invoicing.services.payments import card_payment_start
from sales.basket.models import Basket
from sales.checkout.services import order_place
from sales.order.models import Order, PaymentMethod
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import (
    SellerEntityFactory,
    VatStrategy,
    basket_make,
    checkout_details,
    invoice_make,
    stockrecord_make,
)

pytestmark = pytest.mark.django_db

PERMISSIONS = sorted(set().union(*ROLE_PERMISSIONS.values()))
NOT_APPROVED = "Your company is not approved yet: you can browse, but not order."


@pytest.fixture
def seller():
    return SellerEntityFactory()


def _membership(*, role="buyer", status=Company.Status.APPROVED, is_active=True):
    return MembershipFactory(
        role=role, is_active=is_active, company=CompanyFactory(status=status)
    )


@pytest.mark.parametrize("status", Company.Status.values)
@pytest.mark.parametrize("role", sorted(ROLE_PERMISSIONS))
def test_allows_is_the_role_table_and_approval_for_acting(role, status):
    membership = _membership(role=role, status=status)
    approved = status == Company.Status.APPROVED
    for permission in PERMISSIONS:
        expected = permission in ROLE_PERMISSIONS[role] and (
            approved or permission not in ACTING_PERMISSIONS
        )
        assert membership.allows(permission) is expected, (role, status, permission)
        if expected:
            membership.require(permission)
        else:
            with pytest.raises(ActionRefused):
                membership.require(permission)
    assert membership.can_order is membership.allows("order")


@pytest.mark.parametrize(
    "membership_kwargs,message",
    [
        ({"is_active": False}, "Your access to this company has been revoked."),
        ({"role": "accountant"}, "Your role in this company does not allow this."),
        ({"status": Company.Status.PENDING}, NOT_APPROVED),
        ({"status": Company.Status.BLOCKED}, NOT_APPROVED),
    ],
)
def test_require_says_why(membership_kwargs, message):
    membership = _membership(**membership_kwargs)

    with pytest.raises(ActionRefused) as refused:
        membership_require(membership, "order")

    assert str(refused.value.message) == message


def test_no_membership_is_refused_and_a_good_one_is_returned():
    with pytest.raises(ActionRefused) as refused:
        membership_require(None, "view_orders")
    assert str(refused.value.message) == "You are not acting for a company."
    membership = _membership()
    assert membership_require(membership, "order") is membership


def test_the_reasons_are_translated():
    with pytest.raises(ActionRefused) as refused:
        _membership(status=Company.Status.PENDING).require("order")

    with override("ru"):
        assert str(refused.value.message) == (
            "Ваша компания ещё не одобрена: смотреть каталог можно, заказывать — нет."
        )


REFUSED = [
    pytest.param({"status": Company.Status.PENDING}, id="pending-company"),
    pytest.param({"status": Company.Status.BLOCKED}, id="blocked-company"),
    pytest.param({"role": "accountant"}, id="accountant"),
    pytest.param({"is_active": False}, id="revoked"),
]


@pytest.mark.parametrize("membership_kwargs", [*REFUSED, pytest.param(None, id="none")])
def test_invoice_from_basket_is_refused_before_anything(seller, membership_kwargs):
    membership = _membership(**membership_kwargs) if membership_kwargs else None
    user = membership.user if membership else MembershipFactory().user
    basket = basket_make(user=user, items=[(stockrecord_make(), 2)])

    with pytest.raises(ActionRefused):
        invoice_issue_from_basket(basket=basket, membership=membership)

    assert Invoice.objects.count() == 0


@pytest.mark.parametrize("membership_kwargs", REFUSED)
def test_invoice_for_an_order_is_refused_before_anything(seller, membership_kwargs):
    membership = _membership(**membership_kwargs)
    order = order_make(
        company=membership.company,
        user=membership.user,
        lines=[(stockrecord_make().product, 1, "10.00")],
    )

    with pytest.raises(ActionRefused):
        invoice_issue(order=order, membership=membership)

    assert Invoice.objects.count() == 0


def test_invoice_for_another_companys_order_is_refused(seller):
    order = order_make(
        company=CompanyFactory(),
        user=MembershipFactory().user,
        lines=[(stockrecord_make().product, 1, "10.00")],
    )

    with pytest.raises(InvoicingError):
        invoice_issue(order=order, membership=_membership())

    assert Invoice.objects.count() == 0


def test_invoices_are_issued_to_the_membership_by_its_user(seller):
    membership = _membership()
    basket = basket_make(user=membership.user, items=[(stockrecord_make(), 2)])
    order = order_make(
        company=membership.company,
        user=membership.user,
        lines=[(stockrecord_make().product, 1, "10.00")],
    )

    from_basket = invoice_issue_from_basket(basket=basket, membership=membership)
    for_order = invoice_issue(order=order, membership=membership)

    for invoice in (from_basket, for_order):
        assert (invoice.company, invoice.issued_by) == (
            membership.company,
            membership.user,
        )


def test_card_payment_is_refused_without_a_membership_or_for_another_company(seller):
    invoice = invoice_make(company=CompanyFactory())

    with pytest.raises(ActionRefused):
        card_payment_start(invoice=invoice, membership=None)
    with pytest.raises(PaymentError):
        card_payment_start(invoice=invoice, membership=_membership())

    assert Payment.objects.count() == 0


@pytest.mark.parametrize("membership_kwargs", REFUSED)
def test_placing_an_order_is_refused_before_anything(seller, membership_kwargs):
    membership = _membership(**membership_kwargs)
    basket = basket_make(user=membership.user, items=[(stockrecord_make(), 2)])

    with pytest.raises(ActionRefused):
        order_place(
            basket_id=basket.pk,
            strategy=VatStrategy(),
            user=membership.user,
            membership=membership,
            details=checkout_details(
                company=membership.company, payment_method=PaymentMethod.BANK_TRANSFER
            ),
        )

    assert (Order.objects.count(), Invoice.objects.count()) == (0, 0)


def test_a_refused_invoice_page_says_why(client, seller):
    membership = _membership(status=Company.Status.PENDING)
    basket = Basket.objects.create(owner=membership.user)
    basket.strategy = CompanyPricing(company=membership.company)
    basket.add_product(priced_product(), 2)
    client.force_login(membership.user)

    response = client.post(reverse("cabinet:invoice-issue-basket"))

    assert response.status_code == 403
    assert NOT_APPROVED in response.content.decode()
    assert Invoice.objects.count() == 0
