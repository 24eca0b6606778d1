"""Reservations as a buyer makes them: an open basket priced by the company's own
strategy, reserved through the service (stock held, invoice issued)."""

from accounts.models import CompanyAddress
from catalog.partner.strategy import CompanyPricing
from sales.basket.models import Basket
from sales.reservations.services import reservation_create


def address_ensure(company) -> CompanyAddress:
    return company.addresses.first() or CompanyAddress.objects.create(
        company=company,
        recipient="Ivan Petrov",
        line1="ul. Lenina, 1",
        city="Moscow",
        postcode="101000",
        is_default=True,
    )


def basket_for(*, membership, items) -> Basket:
    """An open basket of the member with (product, quantity) items."""
    basket = Basket.objects.create(owner=membership.user)
    basket.strategy = CompanyPricing(company=membership.company)
    for product, quantity in items:
        basket.add_product(product, quantity)
    return basket


def reservation_make(*, membership, items):
    address_ensure(membership.company)
    basket = basket_for(membership=membership, items=items)
    return reservation_create(
        basket=basket,
        membership=membership,
        strategy=CompanyPricing(company=membership.company),
    )
