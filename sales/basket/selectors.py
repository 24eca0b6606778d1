"""Reads for the basket page: the buyer's own part numbers for its lines and
whether a voucher could be entered at all."""

from django.db.models import Q
from django.utils import timezone
from oscar.apps.offer.models import ConditionalOffer
from oscar.apps.voucher.models import Voucher

from accounts.models import Company
from catalog.models import CompanyPartNumber


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
