"""Demo seller details, credit accounts and invoice states for `load_demo`: a part
payment and an invoice dated back so the daily overdue run finds it overdue."""

from datetime import datetime
from decimal import ROUND_DOWN, Decimal

from django.utils import timezone

from core.money import money_quantize
from invoicing.models import (
    CreditAccount,
    Invoice,
    InvoiceStatus,
    Payment,
    SellerEntity,
)
from invoicing.services.invoices import invoice_due_date
from invoicing.services.payments import bank_payment_record

SELLER = {
    "legal_name": "ООО «Промснаб»",
    "tax_id": "7701234567",
    "kpp": "770101001",
    "legal_address": "123112, г. Москва, Пресненская наб., д. 10, офис 501",
    "phone": "+7 495 000-00-00",
    "bank_name": "ПАО Сбербанк, г. Москва",
    "bank_bik": "044525225",
    "bank_account": "40702810938000012345",
    "bank_corr_account": "30101810400000000225",
    "director": "Смирнов А. В.",
    "chief_accountant": "Кузнецова О. П.",
}

# company key: credit limit, net days, grace days
CREDIT = {
    "stroymontazh": (Decimal("500000.00"), 14, 3),
    "zavod": (Decimal("3000000.00"), 45, 5),
    "dealer": (Decimal("1200000.00"), 30, 5),
}


def build_demo_invoicing(*, rng, companies, stdout=None) -> None:
    """The seller with its bank details and deferred-payment terms for three
    demo companies (deterministic: `rng` is not needed)."""
    SellerEntity.objects.update_or_create(
        is_default=True, defaults={**SELLER, "is_default": True}
    )
    made = 0
    for key, (limit, days, grace) in CREDIT.items():
        company = companies.get(key)
        if company is None:
            continue
        CreditAccount.objects.update_or_create(
            company=company,
            defaults={
                "credit_limit": limit,
                "payment_terms_days": days,
                "grace_days": grace,
                "currency": "RUB",
            },
        )
        made += 1
    if stdout is not None:
        stdout.write(f"Invoicing: seller details, {made} credit accounts.")


PART_PAYMENT_SHARE = Decimal("0.4")  # of the amount due, in whole hundreds


def demo_invoice_dated(*, invoice: Invoice, issued_at: datetime) -> Invoice:
    """The demo places its history today and dates its orders back; this invoice
    takes its order's moment as the moment it was issued, and the due date the
    company's terms give from that day. The one write outside the services: no
    service issues a document in the past."""
    issue_date = timezone.localdate(issued_at)
    due_date = invoice_due_date(
        company=invoice.company,
        payment_method=invoice.payment_method,
        issue_date=issue_date,
    )
    Invoice.objects.filter(pk=invoice.pk).update(
        issued_at=issued_at, issue_date=issue_date, due_date=due_date
    )
    invoice.refresh_from_db()
    return invoice


def demo_invoice_part_pay(
    *, invoice: Invoice, recorded_by, received_on
) -> Payment | None:
    """A bank transfer of about 40 % of the amount due (whole hundreds, half when the
    invoice is small), allocated to the invoice: it becomes partly paid."""
    due = invoice.amount_due
    share = (due * PART_PAYMENT_SHARE / 100).to_integral_value(ROUND_DOWN) * 100
    if share <= 0:
        share = due / 2
    share = money_quantize(share)
    if share <= 0 or share >= due:
        return None
    return bank_payment_record(
        company=invoice.company,
        amount=share,
        received_on=received_on,
        reference=f"п/п № {invoice.number + 400}, частичная оплата по счёту {invoice}",
        recorded_by=recorded_by,
        invoice=invoice,
        currency=invoice.currency,
    )


def demo_invoices_summary(*, company) -> str:
    """How many of the company's invoices are in each state, for the load summary."""
    invoices = Invoice.objects.invoices().for_company(company)
    states = ", ".join(
        f"{invoices.filter(status=status).count()} {label}"
        for status, label in (
            (InvoiceStatus.PAID, "paid"),
            (InvoiceStatus.PARTLY_PAID, "partly paid"),
            (InvoiceStatus.OVERDUE, "overdue"),
            (InvoiceStatus.ISSUED, "awaiting payment, not yet due"),
        )
    )
    return f"Invoices of {company.name}: {states}."
