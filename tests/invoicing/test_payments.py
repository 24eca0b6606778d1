"""Bank payments and their allocation, invoice status, overdue marking, credit
status, statements, delivery notes and the staff dashboard."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from invoicing.exceptions import PaymentError
from invoicing.models import Invoice, InvoiceStatus, Payment, PaymentAllocation
from invoicing.selectors import credit_status
from invoicing.services.payments import bank_payment_record
from sales.order.models import PaymentMethod
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory, UserFactory
from tests.invoicing.factories import CreditAccountFactory, invoice_make

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def pay(company, amount, invoice=None, staff=None):
    return bank_payment_record(
        company=company,
        amount=Decimal(amount),
        received_on=TODAY,
        reference="PP-1",
        recorded_by=staff,
        invoice=invoice,
    )


def test_partial_then_full_payment(seller, company):
    invoice = invoice_make(company=company)  # 120.00

    pay(company, "20.00", invoice)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PARTLY_PAID,
        Decimal("20.00"),
    )

    pay(company, "100.00", invoice)
    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.PAID,
        Decimal("120.00"),
    )
    assert invoice.paid_at is not None


def test_payment_without_invoice_settles_oldest_due_first_and_keeps_the_rest(
    seller, company
):
    first = invoice_make(company=company, amount="50.00")
    second = invoice_make(company=company, amount="80.00")
    Invoice.objects.filter(pk=second.pk).update(due_date=first.due_date - timedelta(1))

    payment = pay(company, "100.00")

    first.refresh_from_db()
    second.refresh_from_db()
    assert (second.status, second.amount_paid) == (InvoiceStatus.PAID, Decimal("80.00"))
    assert (first.status, first.amount_paid) == (
        InvoiceStatus.PARTLY_PAID,
        Decimal("20.00"),
    )
    assert payment.amount_allocated == Decimal("100.00")


def test_overpayment_of_one_invoice_stays_unallocated(seller, company):
    invoice = invoice_make(company=company)

    payment = pay(company, "500.00", invoice)

    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("120.00")
    assert payment.amount_allocated == Decimal("120.00")


@pytest.mark.parametrize("amount", ["-10.00", "0"])
def test_a_negative_or_zero_payment_is_refused_and_nothing_changes(
    seller, company, amount
):
    invoice = invoice_make(company=company)

    with pytest.raises(PaymentError):
        pay(company, amount, invoice)

    invoice.refresh_from_db()
    assert invoice.amount_paid == Decimal("0.00")
    assert Payment.objects.count() == 0


def test_paying_an_already_paid_invoice_is_refused(seller, company):
    invoice = invoice_make(company=company)
    pay(company, "120.00", invoice)

    with pytest.raises(PaymentError):
        pay(company, "10.00", invoice)

    assert Payment.objects.count() == 1
    assert PaymentAllocation.objects.count() == 1


def test_another_companys_invoice_cannot_be_settled(seller, company):
    foreign = invoice_make(company=CompanyFactory())

    with pytest.raises(PaymentError):
        pay(company, "10.00", foreign)

    assert Payment.objects.count() == 0


def test_overdue_command_marks_and_emails_accountants_and_manager(
    seller, django_capture_on_commit_callbacks
):
    manager = StaffFactory(email="manager@example.com")
    company = CompanyFactory(account_manager=manager)
    CreditAccountFactory(company=company)
    accountant = MembershipFactory(
        company=company, role="accountant", user=UserFactory(language="ru")
    ).user
    late = invoice_make(company=company, payment_method=PaymentMethod.ON_ACCOUNT)
    paid = invoice_make(company=company)
    current = invoice_make(company=company)
    pay(company, "120.00", paid)
    yesterday = timezone.localdate() - timedelta(days=1)
    Invoice.objects.filter(pk__in=[late.pk, paid.pk]).update(due_date=yesterday)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("mark_overdue_invoices")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("mark_overdue_invoices")

    statuses = dict(Invoice.objects.values_list("pk", "status"))
    assert statuses == {
        late.pk: InvoiceStatus.OVERDUE,
        paid.pk: InvoiceStatus.PAID,
        current.pk: InvoiceStatus.ISSUED,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [accountant.email, "manager@example.com"]
    )
    to_accountant = next(m for m in mail.outbox if m.to == [accountant.email])
    assert late.display_number in to_accountant.body
    assert credit_status(company=company).overdue == Decimal("120.00")


def test_a_partial_payment_keeps_an_overdue_invoice_overdue(seller, company):
    invoice = invoice_make(company=company)
    Invoice.objects.filter(pk=invoice.pk).update(
        due_date=timezone.localdate() - timedelta(days=2), status=InvoiceStatus.OVERDUE
    )

    pay(company, "20.00", Invoice.objects.get(pk=invoice.pk))

    invoice.refresh_from_db()
    assert (invoice.status, invoice.amount_paid) == (
        InvoiceStatus.OVERDUE,
        Decimal("20.00"),
    )


def test_credit_status_counts_only_unpaid_invoices_on_account(
    seller, company, credit_account
):
    on_account = invoice_make(
        company=company, amount="300.00", payment_method=PaymentMethod.ON_ACCOUNT
    )
    invoice_make(company=company, amount="999.00")  # prepayment: not credit
    pay(company, "100.00", on_account)

    status = credit_status(company=company)

    assert (status.limit, status.used, status.available, status.overdue) == (
        Decimal("100000.00"),
        Decimal("200.00"),
        Decimal("99800.00"),
        Decimal("0.00"),
    )
    assert credit_status(company=CompanyFactory()) is None
