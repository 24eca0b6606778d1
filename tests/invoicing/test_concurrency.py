"""Numbering, credit limits and stock under real concurrency (PostgreSQL, threads)."""

import threading
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, connections, transaction

from catalog.partner.models import StockRecord
from invoicing.models import Invoice, Payment
from invoicing.services.payments import (
    card_payment_confirm,
    card_payment_start,
    payment_refund,
)
from sales.checkout.services import CheckoutError, order_place
from sales.order.models import LineAllocation, Order, PaymentMethod
from tests.factories import CompanyFactory, MembershipFactory, ProductFactory
from tests.invoicing.factories import (
    CreditAccountFactory,
    SellerEntityFactory,
    VatStrategy,
    basket_make,
    checkout_details,
    invoice_make,
    stockrecord_make,
)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(scope="module", autouse=True)
def restore_migrated_data(django_db_setup, django_db_blocker):
    """Transactional tests empty every table; put back what migrations created."""
    yield
    with django_db_blocker.unblock():
        for conn in connections.all(initialized_only=True):
            contents = getattr(conn, "_test_serialized_contents", None)
            if contents:
                conn.creation.deserialize_db_from_string(contents)


def run_in_threads(count, target):
    """Start `count` threads at once (a barrier), each calling target(i); returns
    the results and the exceptions by index."""
    barrier = threading.Barrier(count)
    results, errors = {}, {}

    def work(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except Exception as exc:  # noqa: BLE001  (collected for the assertions)
            errors[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def test_fifty_simultaneous_issues_number_one_to_fifty(postgres_only):
    SellerEntityFactory()
    company = CompanyFactory()

    results, errors = run_in_threads(50, lambda i: invoice_make(company=company).number)

    assert errors == {}
    assert sorted(results.values()) == list(range(1, 51))
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(
        range(1, 51)
    )


def _buyers_with_baskets(*, company, count, stockrecord, quantity):
    placed = []
    for _i in range(count):
        membership = MembershipFactory(company=company, role="buyer")
        basket = basket_make(user=membership.user, items=[(stockrecord, quantity)])
        placed.append((membership, basket))
    return placed


def test_twenty_orders_on_account_only_five_fit_the_limit(postgres_only):
    SellerEntityFactory()
    company = CompanyFactory()
    # Each order: 1 × 1000.00 + 20 % VAT = 1200.00; the limit fits exactly five.
    CreditAccountFactory(company=company, credit_limit=Decimal("6000.00"))
    stockrecord = stockrecord_make(price="1000.00", stock=1000)
    buyers = _buyers_with_baskets(
        company=company, count=20, stockrecord=stockrecord, quantity=1
    )
    details = checkout_details(company=company, payment_method=PaymentMethod.ON_ACCOUNT)

    def place(i):
        membership, basket = buyers[i]
        return order_place(
            basket_id=basket.pk,
            strategy=VatStrategy(),
            user=membership.user,
            membership=membership,
            details=details,
        )

    results, errors = run_in_threads(20, place)

    assert len(results) == 5
    assert len(errors) == 15
    assert all(isinstance(e, CheckoutError) for e in errors.values())
    assert Order.objects.count() == 5
    assert Invoice.objects.count() == 5
    assert sum(i.total_incl_vat for i in Invoice.objects.all()) == Decimal("6000.00")
    stockrecord.refresh_from_db()
    assert stockrecord.num_allocated == 5


def test_stock_of_seven_in_two_warehouses_thirty_buyers_seven_ship_now(postgres_only):
    """Thirty simultaneous orders of one unit against 4 + 3 units in two warehouses:
    every order is placed, exactly seven units are taken from stock (never more than
    a warehouse holds) and the other 23 are back-orders."""
    SellerEntityFactory()
    company = CompanyFactory()
    product = ProductFactory()
    stockrecord = stockrecord_make(product=product, price="10.00", stock=4)
    second = stockrecord_make(product=product, price="10.00", stock=3)
    second.partner.priority = stockrecord.partner.priority + 10
    second.partner.save()
    buyers = _buyers_with_baskets(
        company=company, count=30, stockrecord=stockrecord, quantity=1
    )
    details = checkout_details(
        company=company, payment_method=PaymentMethod.BANK_TRANSFER
    )

    def place(i):
        membership, basket = buyers[i]
        return order_place(
            basket_id=basket.pk,
            strategy=VatStrategy(),
            user=membership.user,
            membership=membership,
            details=details,
        )

    results, errors = run_in_threads(30, place)

    assert errors == {}
    assert len(results) == 30
    records = StockRecord.objects.filter(product=product).order_by("pk")
    assert [r.num_allocated for r in records] == [4, 3]
    parts = LineAllocation.objects.filter(line__product=product)
    assert sum(p.quantity for p in parts if not p.is_backorder) == 7
    assert sum(p.quantity for p in parts if p.is_backorder) == 23
    assert sorted(Invoice.objects.values_list("number", flat=True)) == list(
        range(1, 31)
    )


def test_a_card_refund_holds_no_row_lock_while_stripe_answers(
    postgres_only, fake_stripe, staff_user
):
    """While Stripe works on a refund, another request can lock the payment (it is
    not kept waiting on a network call), and the refund is recorded once."""
    SellerEntityFactory()
    company = CompanyFactory()
    membership = MembershipFactory(company=company, role="buyer")
    invoice = invoice_make(company=company)
    payment, _secret = card_payment_start(invoice=invoice, membership=membership)
    card_payment_confirm(payment=payment, payment_method_id="pm_card_visa")
    seen = {}

    def lock_from_another_connection(_body):
        try:
            with transaction.atomic():
                seen["locked"] = (
                    Payment.objects.select_for_update(nowait=True)
                    .filter(pk=payment.pk)
                    .exists()
                )
        except DatabaseError as exc:
            seen["locked"] = exc
        finally:
            connection.close()  # the fake Stripe's thread has a connection of its own

    fake_stripe.on_refund = lock_from_another_connection

    refund = payment_refund(
        payment=payment, amount=Decimal("20.00"), refunded_by=staff_user
    )

    assert seen == {"locked": True}
    payment.refresh_from_db()
    assert payment.amount_refunded == Decimal("20.00")
    assert list(payment.refunds.values_list("stripe_refund_id", flat=True)) == [
        refund.stripe_refund_id
    ]
