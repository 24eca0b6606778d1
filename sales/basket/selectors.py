"""Reads for the basket page and the API: the buyer's own part numbers for its
lines, whether a voucher could be entered at all, and the caller's open basket."""

from django.db.models import Q
from django.utils import timezone
from oscar.apps.offer.models import ConditionalOffer
from oscar.apps.voucher.models import Voucher

from accounts.models import Company
from catalog.models import CompanyPartNumber
from sales.basket.models import Basket


def part_numbers_for_lines(*, company: Company | None, product_ids) -> dict[int, str]:
    """Product id → the company's own part number (one query; none for visitors)."""
    if company is None or not product_ids:
        return {}
    numbers: dict[int, str] = {}
    rows = (
        CompanyPartNumber.objects.filter(company=company, product_id__in=product_ids)
        .order_by("number")
        .values_list("product_id", "number")
    )
    for product_id, number in rows:
        numbers.setdefault(product_id, number)
    return numbers


def voucher_offer_available() -> bool:
    """True when a voucher could give a discount now: a voucher valid today tied to
    an open voucher offer. Without one, the basket shows no code box."""
    now = timezone.now()
    offers = ConditionalOffer.active.filter(
        offer_type=ConditionalOffer.VOUCHER, status=ConditionalOffer.OPEN
    )
    return (
        Voucher.objects.filter(start_datetime__lte=now, end_datetime__gte=now)
        .filter(Q(offers__in=offers))
        .exists()
    )


def basket_of_caller(request) -> Basket:
    """The caller's open basket, priced by the request's strategy: the session's (the
    one Oscar's middleware chose) or, for an API token, the user's oldest open one
    — a new unsaved basket when there is none."""
    basket = getattr(request, "basket", None)
    if basket is None or basket.owner_id != request.user.pk:
        basket = Basket.open.filter(owner=request.user).order_by("pk").first()
        if basket is None:
            basket = Basket(owner=request.user)
    basket.strategy = request.strategy
    return basket
