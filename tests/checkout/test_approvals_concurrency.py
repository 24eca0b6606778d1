"""Two approvers approving one requisition at the same moment place one order, with
one invoice and one allocation of stock (PostgreSQL: row locks)."""

from decimal import Decimal

import pytest

from accounts.models import Role
from catalog.partner.models import StockRecord
from invoicing.models import Invoice
from sales.checkout.approvals import requisition_approve
from sales.checkout.models import RequisitionEvent, RequisitionStatus
from sales.checkout.rules import RequisitionError
from sales.checkout.services import order_place
from sales.order.models import Order, PaymentMethod
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import (
    SellerEntityFactory,
    VatStrategy,
    basket_make,
    checkout_details,
    stockrecord_make,
)
from tests.invoicing.test_concurrency import (  # noqa: F401
    restore_migrated_data,
    run_in_threads,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_approvers_at_once_place_exactly_one_order(postgres_only):
    SellerEntityFactory()
    company = CompanyFactory()
    buyer = MembershipFactory(
        company=company, role=Role.BUYER, spending_limit=Decimal("100.00")
    )
    approvers = [
        MembershipFactory(company=company, role=role)
        for role in (Role.APPROVER, Role.ADMIN)
    ]
    stockrecord = stockrecord_make(price="1000.00", stock=5)
    basket = basket_make(user=buyer.user, items=[(stockrecord, 2)])
    placed = order_place(
        basket_id=basket.pk,
        strategy=VatStrategy(),
        user=buyer.user,
        membership=buyer,
        details=checkout_details(
            company=company, payment_method=PaymentMethod.BANK_TRANSFER
        ),
    )
    number = placed.requisition.number

    def approve(i):
        return requisition_approve(
            membership=approvers[i], number=number, strategy=VatStrategy()
        )

    results, errors = run_in_threads(2, approve)

    assert len(results) == 1 and len(errors) == 1
    (error,) = errors.values()
    assert isinstance(error, RequisitionError) and "already approved" in str(error)
    assert Order.objects.count() == 1
    assert Invoice.objects.count() == 1
    assert StockRecord.objects.get(pk=stockrecord.pk).num_allocated == 2
    requisition = placed.requisition
    requisition.refresh_from_db()
    assert requisition.status == RequisitionStatus.APPROVED
    assert requisition.events.filter(kind=RequisitionEvent.Kind.ORDERED).count() == 1
