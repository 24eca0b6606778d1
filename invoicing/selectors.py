"""Reads about invoices, credit, payments and documents, always scoped by company."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.money import ZERO
from invoicing.models import CreditAccount, DeliveryNote, Invoice, Payment
from invoicing.services.credit import credit_balance


@dataclass(frozen=True)
class CreditStatus:
    limit: Decimal
    used: Decimal
    available: Decimal
    overdue: Decimal
    currency: str
    payment_terms_days: int
    grace_days: int
    is_active: bool


def credit_status(*, company, today: date | None = None) -> CreditStatus | None:
    """The company's credit limit, used, available and overdue amounts, or None."""
    if company is None:
        return None
    account = CreditAccount.objects.filter(company=company).first()
    if account is None:
        return None
    balance = credit_balance(account=account, today=today or timezone.localdate())
    return CreditStatus(
        limit=account.credit_limit,
        used=balance.used,
        available=max(account.credit_limit - balance.used, ZERO),
        overdue=balance.overdue,
        currency=account.currency,
        payment_terms_days=account.payment_terms_days,
        grace_days=account.grace_days,
        is_active=account.is_active,
    )


def invoices_for_company(*, company, status: str = "") -> QuerySet[Invoice]:
    invoices = Invoice.objects.for_company(company).select_related("order")
    if status:
        invoices = invoices.filter(status=status)
    return invoices


def invoice_for_company(*, company, pk: int) -> Invoice:
    """A company's own invoice or 404 (another company's id is simply not found)."""
    return get_object_or_404(
        Invoice.objects.for_company(company).select_related("order", "seller"), pk=pk
    )


def delivery_note_for_company(*, company, pk: int) -> DeliveryNote:
    return get_object_or_404(
        DeliveryNote.objects.filter(company=company).select_related("order"), pk=pk
    )


def payments_for_company(*, company) -> QuerySet[Payment]:
    return Payment.objects.for_company(company).received()


@dataclass(frozen=True)
class OrderDocument:
    kind: str
    title: str
    number: str
    date: date
    status: str
    download_url: str


def documents_for_order(*, order) -> list[OrderDocument]:
    """Documents (invoices, credit notes, delivery notes) of an order, newest first.
    The order must already be the caller's company's (fetched company-scoped)."""
    docs = [
        OrderDocument(
            kind=invoice.kind,
            title=str(invoice.get_kind_display()),
            number=invoice.display_number,
            date=invoice.issue_date,
            status=str(invoice.get_status_display()),
            download_url=reverse("cabinet:invoice-pdf", args=[invoice.pk]),
        )
        for invoice in Invoice.objects.filter(order=order, company_id=order.company_id)
    ]
    note = DeliveryNote.objects.filter(order=order).first()
    if note is not None:
        docs.append(
            OrderDocument(
                kind="delivery_note",
                title=str(_("Delivery note")),
                number=note.display_number,
                date=timezone.localdate(note.issued_at),
                status="",
                download_url=reverse("cabinet:delivery-note-pdf", args=[note.pk]),
            )
        )
    return sorted(docs, key=lambda d: d.date, reverse=True)


@dataclass(frozen=True)
class StatementRow:
    date: date
    label: str
    debit: Decimal
    credit: Decimal


@dataclass(frozen=True)
class Statement:
    company: object
    seller: object
    start: date
    end: date
    currency: str
    opening: Decimal
    rows: list[StatementRow]
    debit_total: Decimal
    credit_total: Decimal
    closing: Decimal


def _statement_entries(*, company, currency: str) -> list[StatementRow]:
    """Every debit (invoices of orders, refunds) and credit (payments, credit
    notes) of the company, unsorted."""
    entries = []
    documents = Invoice.objects.for_company(company).filter(
        currency=currency, order__isnull=False
    )
    for doc in documents:
        is_note = doc.kind == "credit_note"
        label = (
            _("Credit note %(number)s") if is_note else _("Invoice %(number)s")
        ) % {"number": doc.display_number}
        entries.append(
            StatementRow(
                date=doc.issue_date,
                label=str(label),
                debit=ZERO if is_note else doc.total_incl_vat,
                credit=doc.total_incl_vat if is_note else ZERO,
            )
        )
    payments = Payment.objects.for_company(company).received().filter(currency=currency)
    for payment in payments.prefetch_related("refunds"):
        label = _("Payment %(reference)s") % {
            "reference": payment.reference or payment.get_method_display()
        }
        entries.append(
            StatementRow(payment.received_on, str(label), ZERO, payment.amount)
        )
        for refund in payment.refunds.all():
            entries.append(
                StatementRow(
                    timezone.localdate(refund.created_at),
                    str(_("Refund of %(label)s") % {"label": label}),
                    refund.amount,
                    ZERO,
                )
            )
    return entries


def statement_for_company(*, company, start: date, end: date, seller) -> Statement:
    """The statement of account (reconciliation act) of a company for a period."""
    currency = settings.OSCAR_DEFAULT_CURRENCY
    entries = _statement_entries(company=company, currency=currency)
    before = [e for e in entries if e.date < start]
    rows = sorted(
        (e for e in entries if start <= e.date <= end), key=lambda e: (e.date, e.label)
    )
    opening = sum((e.debit - e.credit for e in before), ZERO)
    debit = sum((e.debit for e in rows), ZERO)
    credit = sum((e.credit for e in rows), ZERO)
    return Statement(
        company=company,
        seller=seller,
        start=start,
        end=end,
        currency=currency,
        opening=opening,
        rows=rows,
        debit_total=debit,
        credit_total=credit,
        closing=opening + debit - credit,
    )
