"""Reservations: stock held per warehouse by the stock rule, the prepayment invoice,
conversion into an order (by hand, by a bank or card payment), extension,
cancellation, expiry with reminders, and every refusal."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import ActionRefused
from cabinet.quickorder.parsing import quick_order_parse_text
from cabinet.quickorder.selectors import quick_order_resolve
from catalog.partner.availability import availability_for_products
from catalog.partner.models import StockRecord
from catalog.partner.strategy import CompanyPricing
from invoicing.models import DocumentKind, Invoice, InvoiceStatus
from invoicing.services.payments import (
    bank_payment_record,
    card_payment_confirm,
    card_payment_start,
)
from sales.basket.models import Basket
from sales.checkout.models import ApprovalPolicy
from sales.checkout.services import CheckoutDetails, order_place
from sales.order.models import LineAllocation, Order, PaymentMethod
from sales.reservations import services
from sales.reservations.models import (
    Reservation,
    ReservationEvent,
    ReservationStatus,
    ReservationTerms,
)
from sales.reservations.tasks import reservations_expire_task
from tests.cabinet.factories import priced_product
from tests.factories import (
    CompanyFactory,
    MembershipFactory,
    PartnerFactory,
    StockRecordFactory,
)
from tests.reservations.factories import (
    address_ensure,
    basket_for,
    reservation_make,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(seller):
    membership = MembershipFactory(role="buyer")
    address_ensure(membership.company)
    return membership


@pytest.fixture
def product(db):
    """Two warehouses: the first in priority holds 3, the second 10; 120.00 incl.
    VAT a unit."""
    product = priced_product(price="100.00", stock=3)
    first = product.stockrecords.get()
    first.partner.priority = 1
    first.partner.save()
    StockRecordFactory(
        product=product,
        partner=PartnerFactory(name="Second warehouse", priority=5),
        num_in_stock=10,
    )
    return product


def allocated(product) -> list[int]:
    return list(
        StockRecord.objects.filter(product=product)
        .order_by("partner__priority")
        .values_list("num_allocated", flat=True)
    )


def test_reserving_holds_free_stock_warehouse_by_warehouse_with_an_invoice(
    member, product
):
    reservation = reservation_make(membership=member, items=[(product, 5)])

    assert reservation.status == ReservationStatus.ACTIVE
    assert reservation.number == f"RS-{reservation.pk:06d}"
    assert allocated(product) == [3, 2]
    lines = list(reservation.lines.order_by("pk"))
    assert [(ln.quantity, ln.stockrecord.partner.priority) for ln in lines] == [
        (3, 1),
        (2, 5),
    ]
    assert {ln.unit_price_incl_tax for ln in lines} == {Decimal("120.00")}
    assert reservation.total_incl_tax == Decimal("600.00")
    invoice = reservation.invoice
    assert (invoice.status, invoice.total_incl_vat, invoice.order_id) == (
        InvoiceStatus.ISSUED,
        Decimal("600.00"),
        None,
    )
    assert invoice.due_date == timezone.localdate(reservation.expires_at)
    assert Basket.objects.get(pk=reservation.basket_id).status == Basket.FROZEN
    assert reservation.events.get().kind == ReservationEvent.Kind.CREATED


def test_the_end_is_the_end_of_the_nth_working_day():
    monday = timezone.make_aware(timezone.datetime(2026, 3, 2, 10, 0))
    saturday = timezone.make_aware(timezone.datetime(2026, 3, 7, 10, 0))

    assert timezone.localtime(services.reservation_end(start=monday, days=3)) == (
        timezone.make_aware(timezone.datetime(2026, 3, 4, 23, 59, 59))
    )
    friday = timezone.make_aware(timezone.datetime(2026, 3, 6, 9, 0))
    assert timezone.localdate(services.reservation_end(start=friday, days=2)) == (
        timezone.datetime(2026, 3, 9).date()
    )
    assert timezone.localdate(services.reservation_end(start=saturday, days=1)) == (
        timezone.datetime(2026, 3, 9).date()
    )


def test_others_see_and_get_only_what_is_left(member, product, client, seller):
    reservation_make(membership=member, items=[(product, 12)])  # 1 of 13 left

    assert (
        availability_for_products(products=[product])[product.pk].total_available == 1
    )
    other = MembershipFactory(role="buyer")
    client.force_login(other.user)
    page = client.get(product.get_absolute_url()).content.decode()
    assert "In stock: 1" in page
    assert "In stock: 13" not in page and "In stock: 3" not in page
    (resolved,) = quick_order_resolve(
        lines=quick_order_parse_text(f"{product.article} 4"),
        company=other.company,
        strategy=CompanyPricing(company=other.company),
    )
    assert resolved.product == product
    assert resolved.stock[product.pk].total_available == 1
    # Checkout takes the one unit left now and back-orders the rest.
    basket = basket_for(membership=other, items=[(product, 4)])
    placed = order_place(
        basket_id=basket.pk,
        strategy=CompanyPricing(company=other.company),
        user=other.user,
        membership=other,
        details=CheckoutDetails(
            address=address_ensure(other.company),
            payment_method=PaymentMethod.BANK_TRANSFER,
        ),
    )
    parts = LineAllocation.objects.filter(line__order=placed.order)
    assert sorted((p.quantity, p.is_backorder) for p in parts) == [
        (1, False),
        (3, True),
    ]
    assert sum(allocated(product)) == 13


def test_a_line_above_free_stock_is_refused_with_what_can_be_reserved(member, product):
    other = priced_product(price="10.00", stock=50)
    basket = basket_for(membership=member, items=[(other, 2), (product, 14)])

    with pytest.raises(services.ReservationError) as refused:
        services.reservation_create(basket=basket, membership=member)

    assert "14 requested, only 13 in stock can be reserved" in str(refused.value)
    assert not Reservation.objects.exists() and not Invoice.objects.exists()
    assert allocated(product) == [0, 0] and allocated(other) == [0]
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_a_basket_the_companys_rules_send_for_approval_cannot_be_reserved(
    member, product
):
    """A paid reservation becomes an order without a checkout, so it must not be
    a way around the approval rules."""
    ApprovalPolicy.objects.create(company=member.company, amount_above=Decimal("100"))
    basket = basket_for(membership=member, items=[(product, 2)])

    with pytest.raises(services.ReservationError, match="needs approval"):
        services.reservation_create(basket=basket, membership=member)

    assert not Reservation.objects.exists() and not Invoice.objects.exists()
    assert allocated(product) == [0, 0]
    assert Basket.objects.get(pk=basket.pk).status == Basket.OPEN


def test_only_stock_on_hand_can_be_reserved(member, product):
    """A product out of stock (back-order only) is refused; one on request never
    reaches a basket (Oscar's basket takes only products a warehouse carries)."""
    out_of_stock = priced_product(price="10.00", stock=0)
    basket = basket_for(membership=member, items=[(product, 1), (out_of_stock, 1)])

    with pytest.raises(services.ReservationError) as refused:
        services.reservation_create(basket=basket, membership=member)

    assert "1 requested, only 0 in stock can be reserved" in str(refused.value)
    assert allocated(product) == [0, 0]


@pytest.mark.parametrize(
    ("role", "status"), [("accountant", "approved"), ("buyer", "pending")]
)
def test_accountants_and_pending_companies_cannot_reserve(
    role, status, product, seller
):
    membership = MembershipFactory(role=role, company=CompanyFactory(status=status))
    address_ensure(membership.company)
    basket = basket_for(membership=membership, items=[(product, 1)])

    with pytest.raises(ActionRefused):
        services.reservation_create(basket=basket, membership=membership)

    assert not Reservation.objects.exists() and allocated(product) == [0, 0]


def test_cancel_releases_the_stock_and_cancels_the_invoice_by_credit_note(
    member, product
):
    reservation = reservation_make(membership=member, items=[(product, 5)])

    services.reservation_cancel(membership=member, number=reservation.number)

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CANCELLED
    assert allocated(product) == [0, 0]
    invoice = Invoice.objects.get(pk=reservation.invoice_id)
    assert invoice.status == InvoiceStatus.CANCELLED
    note = invoice.credit_notes.get()
    assert (note.kind, note.total_incl_vat) == (
        DocumentKind.CREDIT_NOTE,
        Decimal("600.00"),
    )
    with pytest.raises(services.ReservationError):
        services.reservation_cancel(membership=member, number=reservation.number)


def test_extend_once_within_max_days_reissues_the_unpaid_invoice(member, product):
    ReservationTerms.objects.create(company=member.company, days=3, max_days=5)
    reservation = reservation_make(membership=member, items=[(product, 1)])
    first_end, first_invoice = reservation.expires_at, reservation.invoice

    services.reservation_extend(membership=member, number=reservation.number)

    reservation.refresh_from_db()
    assert reservation.extended and reservation.days == 5
    assert reservation.expires_at == services.reservation_end(
        start=reservation.created_at, days=5
    )
    assert reservation.expires_at > first_end
    first_invoice.refresh_from_db()
    assert first_invoice.status == InvoiceStatus.CANCELLED
    assert reservation.invoice.due_date == timezone.localdate(reservation.expires_at)
    assert reservation.invoice.total_incl_vat == Decimal("120.00")
    with pytest.raises(services.ReservationError, match="only once"):
        services.reservation_extend(membership=member, number=reservation.number)
    assert allocated(product) == [1, 0]


def test_extension_can_be_switched_off_by_staff(member, product):
    ReservationTerms.objects.create(company=member.company, extend_allowed=False)
    reservation = reservation_make(membership=member, items=[(product, 1)])

    with pytest.raises(services.ReservationError, match="cannot be extended"):
        services.reservation_extend(membership=member, number=reservation.number)


def test_converting_by_hand_on_prepayment_keeps_the_invoice_and_the_units(
    member, product
):
    reservation = reservation_make(membership=member, items=[(product, 5)])

    services.reservation_convert(membership=member, number=reservation.number)

    reservation.refresh_from_db()
    order = reservation.order
    assert reservation.status == ReservationStatus.CONVERTED
    assert allocated(product) == [3, 2]
    parts = LineAllocation.objects.filter(line__order=order, is_backorder=False)
    assert sum(p.quantity for p in parts) == 5
    assert Invoice.objects.invoices().count() == 1
    invoice = Invoice.objects.get(pk=reservation.invoice_id)
    assert invoice.order_id == order.pk
    assert order.total_incl_tax == Decimal("600.00")
    assert Basket.objects.get(pk=reservation.basket_id).status == Basket.SUBMITTED
    with pytest.raises(services.ReservationError, match="already an order"):
        services.reservation_convert(membership=member, number=reservation.number)
    assert Order.objects.count() == 1


def test_converting_by_hand_on_account_orders_on_account(member, product):
    from tests.invoicing.factories import CreditAccountFactory  # noqa: PLC0415

    CreditAccountFactory(company=member.company)
    reservation = reservation_make(membership=member, items=[(product, 2)])
    prepayment = reservation.invoice

    services.reservation_convert(membership=member, number=reservation.number)

    reservation.refresh_from_db()
    prepayment.refresh_from_db()
    assert prepayment.status == InvoiceStatus.CANCELLED
    order_invoice = Invoice.objects.invoices().get(order=reservation.order)
    assert order_invoice.payment_method == PaymentMethod.ON_ACCOUNT
    assert order_invoice.pk != prepayment.pk
    assert reservation.order.payment_method == PaymentMethod.ON_ACCOUNT
    assert allocated(product) == [2, 0]


def test_held_prices_are_kept_when_the_list_price_changes(member, product):
    reservation = reservation_make(membership=member, items=[(product, 1)])
    from catalog.pricing.models import PriceListItem  # noqa: PLC0415

    PriceListItem.objects.filter(product=product).update(price=Decimal("500.00"))

    services.reservation_convert(membership=member, number=reservation.number)

    reservation.refresh_from_db()
    line = reservation.order.lines.get()
    assert (line.unit_price_excl_tax, line.unit_price_incl_tax) == (
        Decimal("100.00"),
        Decimal("120.00"),
    )


def test_a_bank_payment_converts_it_into_an_order_with_the_paid_invoice(
    member, product, staff_user, django_capture_on_commit_callbacks
):
    reservation = reservation_make(membership=member, items=[(product, 5)])
    invoice = reservation.invoice

    with django_capture_on_commit_callbacks(execute=True):
        bank_payment_record(
            company=member.company,
            amount=Decimal("600.00"),
            received_on=timezone.localdate(),
            reference="PP 123",
            recorded_by=staff_user,
            invoice=invoice,
        )

    reservation.refresh_from_db()
    invoice.refresh_from_db()
    assert reservation.status == ReservationStatus.CONVERTED
    assert (
        invoice.status == InvoiceStatus.PAID
        and invoice.order_id == reservation.order_id
    )
    assert Invoice.objects.invoices().count() == 1
    assert allocated(product) == [3, 2]
    assert reservation.order.lines.get().quantity == 5
    # A second run of the conversion changes nothing.
    again = services.reservation_convert_paid(invoice_id=invoice.pk)
    assert again.created is False and Order.objects.count() == 1


def test_a_partial_payment_does_not_convert(
    member, product, staff_user, django_capture_on_commit_callbacks
):
    reservation = reservation_make(membership=member, items=[(product, 5)])

    with django_capture_on_commit_callbacks(execute=True):
        bank_payment_record(
            company=member.company,
            amount=Decimal("100.00"),
            received_on=timezone.localdate(),
            reference="PP 1",
            recorded_by=staff_user,
            invoice=reservation.invoice,
        )

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ACTIVE and not Order.objects.exists()
    with pytest.raises(services.ReservationError, match="partly"):
        services.reservation_cancel(membership=member, number=reservation.number)


def test_a_card_payment_through_stripe_converts_it(
    member, product, fake_stripe, django_capture_on_commit_callbacks
):
    reservation = reservation_make(membership=member, items=[(product, 2)])
    payment, _secret = card_payment_start(
        invoice=reservation.invoice, membership=member
    )

    with django_capture_on_commit_callbacks(execute=True):
        card_payment_confirm(payment=payment, payment_method_id="pm_card_visa")

    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.CONVERTED
    assert reservation.order.invoices.get().pk == reservation.invoice_id
    assert allocated(product) == [2, 0]


def test_expiry_releases_stock_cancels_the_invoice_and_tells_the_buyer_once(
    member, product, django_capture_on_commit_callbacks
):
    reservation = reservation_make(membership=member, items=[(product, 4)])
    Reservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() + timedelta(hours=5)
    )

    with django_capture_on_commit_callbacks(execute=True):
        reservations_expire_task.call()
        reservations_expire_task.call()
    assert [m.subject for m in mail.outbox] == [
        f"Reservation {reservation.number} ends tomorrow"
    ]
    assert allocated(product) == [3, 1]

    Reservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        first = reservations_expire_task.call()
        second = reservations_expire_task.call()

    reservation.refresh_from_db()
    assert (first["expired"], second["expired"]) == (1, 0)
    assert reservation.status == ReservationStatus.EXPIRED
    assert allocated(product) == [0, 0]
    invoice = Invoice.objects.get(pk=reservation.invoice_id)
    assert invoice.status == InvoiceStatus.CANCELLED
    assert invoice.credit_notes.count() == 1
    assert [m.subject for m in mail.outbox][1:] == [
        f"Reservation {reservation.number} has expired"
    ]
    with pytest.raises(services.ReservationError, match="expired"):
        services.reservation_convert(membership=member, number=reservation.number)


def test_converting_after_the_end_before_the_job_ran_is_refused(member, product):
    reservation = reservation_make(membership=member, items=[(product, 1)])
    Reservation.objects.filter(pk=reservation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(services.ReservationError, match="expired"):
        services.reservation_convert(membership=member, number=reservation.number)
    assert not Order.objects.exists() and allocated(product) == [1, 0]


def test_another_companys_number_is_not_found(member, product):
    reservation = reservation_make(membership=member, items=[(product, 1)])
    intruder = MembershipFactory(role="admin")

    for action in (
        services.reservation_cancel,
        services.reservation_extend,
        services.reservation_convert,
    ):
        with pytest.raises(Reservation.DoesNotExist):
            action(membership=intruder, number=reservation.number)
    reservation.refresh_from_db()
    assert reservation.status == ReservationStatus.ACTIVE


@pytest.mark.parametrize("raw", ["-1", "0", "NaN", "1e3", "11", "2.5", "", "١٢"])
def test_bad_numbers_of_days_are_refused(raw, seller):
    admin = MembershipFactory(role="admin")

    with pytest.raises(services.ReservationError):
        services.terms_update(membership=admin, days=services.days_parse(raw))

    assert services.terms_of(admin.company).days == 3


def test_administrators_set_the_days_within_max(seller):
    admin = MembershipFactory(role="admin")
    buyer = MembershipFactory(role="buyer", company=admin.company)

    services.terms_update(membership=admin, days=services.days_parse("7"))

    assert services.terms_of(admin.company).days == 7
    with pytest.raises(ActionRefused):
        services.terms_update(membership=buyer, days=2)
