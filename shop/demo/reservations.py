"""Demo reservations for `load_demo`, through the reservation services: the buyer
of the Ural plant (buyer@zavod.demo) has one reservation active, one paid by bank
transfer and so converted into an order, one expired (the hourly run, told its
end) and one cancelled; stock, invoices and credit notes follow as in real use."""

from datetime import timedelta

from django.utils import timezone, translation

from accounts.models import Company, Membership, User
from catalog.models import Lifecycle, Product
from catalog.partner.availability import free_quantity
from catalog.partner.strategy import CompanyPricing
from invoicing.services.payments import bank_payment_record
from sales.basket.models import Basket
from sales.basket.services import basket_lines_add
from sales.reservations import services
from sales.reservations.models import Reservation

BUYER = "buyer@zavod.demo"
# What happens to each, in the order they are made (the expired one first: the
# hourly run is asked about its end, when nothing else has ended).
PLANNED = ["expired", "converted", "cancelled", "active"]


def build_demo_reservations(company: Company, stdout=None) -> None:
    """Once: a company that has reservations is left as it is."""
    if Reservation.objects.filter(company=company).exists():
        return
    membership = Membership.objects.select_related("company", "user").get(
        company=company, user__email=BUYER
    )
    products = _in_stock(count=len(PLANNED) * 2)
    staff = User.objects.filter(is_staff=True, managed_companies=company).first()
    made = []
    with translation.override("ru"):
        for index, outcome in enumerate(PLANNED):
            items = [(p, 2) for p in products[index * 2 : index * 2 + 2]]
            if not items:
                break
            reservation = _reserve(membership, items)
            _finish(reservation, outcome, membership=membership, staff=staff)
            made.append(f"{reservation.number} ({outcome})")
    if stdout is not None:
        stdout.write("Reservations: " + ", ".join(made) + "\n")


def _in_stock(*, count: int) -> list[Product]:
    """Active products with at least 10 free units in their first warehouse."""
    found = []
    candidates = (
        Product.objects.filter(is_public=True, stockrecords__num_in_stock__gte=10)
        .exclude(lifecycle=Lifecycle.DISCONTINUED)
        .exclude(structure=Product.PARENT)
        .prefetch_related("stockrecords")
        .distinct()
        .order_by("pk")
    )
    for product in candidates[:200]:
        if all(free_quantity(r) >= 10 for r in product.stockrecords.all()):
            found.append(product)
        if len(found) == count:
            break
    return found


def _reserve(membership, items):
    strategy = CompanyPricing(company=membership.company)
    basket = Basket.objects.create(owner=membership.user)
    basket.strategy = strategy
    basket_lines_add(basket=basket, membership=membership, items=items)
    return services.reservation_create(
        basket=basket, membership=membership, strategy=strategy
    )


def _finish(reservation, outcome, *, membership, staff) -> None:
    number = reservation.number
    if outcome == "expired":
        services.reservations_expire(now=reservation.expires_at + timedelta(seconds=1))
    elif outcome == "cancelled":
        services.reservation_cancel(membership=membership, number=number)
    elif outcome == "converted":
        invoice = reservation.invoice
        bank_payment_record(
            company=reservation.company,
            amount=invoice.total_incl_vat,
            received_on=timezone.localdate(),
            reference=f"п/п {invoice.number} от {timezone.localdate():%d.%m.%Y}",
            recorded_by=staff,
            invoice=invoice,
            currency=invoice.currency,
        )
        # What the task enqueued by the payment does (idempotent: it finds the
        # order placed when it runs).
        services.reservation_convert_paid(invoice_id=invoice.pk)
