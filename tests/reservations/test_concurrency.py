"""Reservations under concurrency (PostgreSQL: row locks): thirty buyers reserving
the last seven units at once get seven units between them, and a reservation racing
an order for the same units never oversells."""

import pytest

from catalog.partner.models import StockRecord
from catalog.partner.strategy import CompanyPricing
from sales.checkout.services import CheckoutDetails, order_place
from sales.order.models import LineAllocation, PaymentMethod
from sales.reservations.models import Reservation, ReservationLine
from sales.reservations.services import ReservationError, reservation_create
from tests.cabinet.factories import priced_product
from tests.factories import MembershipFactory
from tests.invoicing.factories import SellerEntityFactory
from tests.invoicing.test_concurrency import (  # noqa: F401
    restore_migrated_data,
    run_in_threads,
)
from tests.reservations.factories import address_ensure, basket_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _buyers(count):
    buyers = []
    for _ in range(count):
        membership = MembershipFactory(role="buyer")
        address_ensure(membership.company)
        buyers.append(membership)
    return buyers


def test_thirty_buyers_reserving_the_last_seven_units_get_seven(postgres_only):
    SellerEntityFactory()
    product = priced_product(price="100.00", stock=7)
    buyers = _buyers(30)
    baskets = [basket_for(membership=m, items=[(product, 1)]) for m in buyers]

    def reserve(i):
        return reservation_create(
            basket=baskets[i],
            membership=buyers[i],
            strategy=CompanyPricing(company=buyers[i].company),
        )

    results, errors = run_in_threads(30, reserve)

    assert len(results) == 7 and len(errors) == 23
    assert all(isinstance(e, ReservationError) for e in errors.values())
    assert all("only 0 in stock can be reserved" in str(e) for e in errors.values())
    record = StockRecord.objects.get(product=product)
    assert (record.num_in_stock, record.num_allocated) == (7, 7)
    assert Reservation.objects.count() == 7
    assert sum(ReservationLine.objects.values_list("quantity", flat=True)) == 7


def test_a_reservation_and_an_order_racing_for_the_same_units_never_oversell(
    postgres_only,
):
    SellerEntityFactory()
    product = priced_product(price="100.00", stock=5)
    reserver, orderer = _buyers(2)
    reserve_basket = basket_for(membership=reserver, items=[(product, 4)])
    order_basket = basket_for(membership=orderer, items=[(product, 4)])

    def act(i):
        if i == 0:
            return reservation_create(
                basket=reserve_basket,
                membership=reserver,
                strategy=CompanyPricing(company=reserver.company),
            )
        return order_place(
            basket_id=order_basket.pk,
            strategy=CompanyPricing(company=orderer.company),
            user=orderer.user,
            membership=orderer,
            details=CheckoutDetails(
                address=address_ensure(orderer.company),
                payment_method=PaymentMethod.BANK_TRANSFER,
            ),
        )

    results, errors = run_in_threads(2, act)

    record = StockRecord.objects.get(product=product)
    assert record.num_allocated <= record.num_in_stock == 5
    from_stock = sum(
        LineAllocation.objects.filter(is_backorder=False).values_list(
            "quantity", flat=True
        )
    )
    held = sum(ReservationLine.objects.values_list("quantity", flat=True))
    assert from_stock + held == record.num_allocated
    if 0 in results:  # the reservation came first: the order took 1, back-ordered 3
        assert (held, from_stock) == (4, 1)
        assert 1 in results
    else:  # the order came first: 1 unit was left, the reservation refused
        assert isinstance(errors[0], ReservationError)
        assert (held, from_stock) == (0, 4)
