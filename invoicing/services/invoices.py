"""Issuing invoices (from an order or a basket) and credit notes; their PDFs are
rendered by a background task (`invoicing.tasks`) once the invoice is committed."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Membership, Role, membership_require
from accounts.notifications import Kind, company_members, notify_after_commit
from core.money import ZERO, money_quantize
from core.tasks import enqueue_on_commit
from invoicing.exceptions import InvoicingError
from invoicing.models import (
    CreditAccount,
    DocumentKind,
    Invoice,
    InvoiceLine,
    InvoiceStatus,
    SellerEntity,
)
from invoicing.services.numbering import document_number_next
from invoicing.tasks import invoice_pdf_task
from sales.order.models import PaymentMethod


@dataclass(frozen=True)
class DraftLine:
    """An invoice line before it is numbered and saved; amounts come priced."""

    product_id: int | None
    article: str
    title: str
    unit: str
    quantity: int
    unit_price_excl_vat: Decimal
    vat_rate: Decimal
    amount_excl_vat: Decimal
    vat_amount: Decimal


def _draft_line(*, product, title, quantity, unit_excl, line_excl, line_incl):
    """Amounts as the basket/order priced them; VAT from the product's rate only when
    the strategy left tax unknown (incl. price missing). A gross equal to the net is
    a known VAT of zero (e.g. 3 × 0.01 at 20 %: the unit VAT rounds to 0.00), never a
    reason to work the VAT out again, or the invoice would not match the order."""
    rate = Decimal(getattr(product, "vat_rate", ZERO) or ZERO) if product else ZERO
    excl = money_quantize(line_excl)
    if line_incl is not None:
        vat = money_quantize(line_incl) - excl
    else:
        vat = money_quantize(excl * rate / 100)
    return DraftLine(
        product_id=product.pk if product else None,
        article=(getattr(product, "article", "") or "") if product else "",
        title=title[:255],
        unit=str(product.get_unit_display())
        if hasattr(product, "get_unit_display")
        else "",
        quantity=quantity,
        unit_price_excl_vat=money_quantize(unit_excl),
        vat_rate=rate,
        amount_excl_vat=excl,
        vat_amount=vat,
    )


def lines_from_order(order) -> list[DraftLine]:
    return [
        _draft_line(
            product=line.product,
            title=line.title,
            quantity=line.quantity,
            unit_excl=line.unit_price_excl_tax,
            line_excl=line.line_price_excl_tax,
            line_incl=line.line_price_incl_tax,
        )
        for line in order.lines.select_related("product").order_by("pk")
    ]


def lines_from_basket(basket) -> list[DraftLine]:
    drafts = []
    for line in basket.all_lines():
        if line.unit_price_excl_tax is None:
            raise InvoicingError(
                _("%(product)s has no price for you.") % {"product": line.product}
            )
        incl = line.line_price_incl_tax_incl_discounts if line.is_tax_known else None
        drafts.append(
            _draft_line(
                product=line.product,
                title=line.product.get_title(),
                quantity=line.quantity,
                unit_excl=line.unit_price_excl_tax,
                line_excl=line.line_price_excl_tax_incl_discounts,
                line_incl=incl,
            )
        )
    return drafts


def seller_default() -> SellerEntity:
    seller = SellerEntity.objects.filter(is_default=True).first()
    if seller is None:
        raise InvoicingError(_("Invoices cannot be issued yet: no seller is set up."))
    return seller


def _payer(company, legal_entity) -> dict:
    if legal_entity is not None:
        if legal_entity.company_id != company.pk:
            raise InvoicingError(
                _("This legal entity does not belong to your company.")
            )
        source = legal_entity
    else:
        source = company
    return {
        "legal_entity": legal_entity,
        "payer_name": source.legal_name,
        "payer_tax_id": source.tax_id,
        "payer_kpp": source.kpp,
        "payer_address": source.legal_address,
    }


def _seller_snapshot(seller: SellerEntity) -> dict:
    return {
        "seller": seller,
        "seller_name": seller.legal_name,
        "seller_tax_id": seller.tax_id,
        "seller_kpp": seller.kpp,
        "seller_address": seller.legal_address,
        "seller_bank_name": seller.bank_name,
        "seller_bank_bik": seller.bank_bik,
        "seller_bank_account": seller.bank_account,
        "seller_bank_corr_account": seller.bank_corr_account,
    }


def invoice_due_date(*, company, payment_method: str, issue_date: date) -> date:
    """Net N days of the credit account on account; the prepayment period otherwise."""
    if payment_method == PaymentMethod.ON_ACCOUNT:
        account = CreditAccount.objects.filter(company=company).first()
        days = account.payment_terms_days if account else 0
    else:
        days = getattr(settings, "INVOICING_PREPAYMENT_DAYS", 5)
    return issue_date + timedelta(days=days)


@transaction.atomic
def invoice_create(
    *,
    company,
    lines: list[DraftLine],
    payment_method: str,
    issued_by=None,
    order=None,
    legal_entity=None,
    po_number: str = "",
    currency: str | None = None,
    language: str | None = None,
    kind: str = DocumentKind.INVOICE,
    corrects: Invoice | None = None,
    due_date: date | None = None,
) -> Invoice:
    """Number and save a document with its lines; the PDF renders after commit.
    `due_date` overrides the payment terms (a reservation's prepayment is due when
    the reservation ends)."""
    if not lines:
        raise InvoicingError(_("An invoice needs at least one line."))
    seller = seller_default()
    now = timezone.now()
    today = timezone.localdate(now)
    total_excl = sum((ln.amount_excl_vat for ln in lines), ZERO)
    total_vat = sum((ln.vat_amount for ln in lines), ZERO)
    number = document_number_next(seller=seller, kind=kind, year=today.year)
    invoice = Invoice.objects.create(
        kind=kind,
        year=today.year,
        number=number,
        company=company,
        order=order,
        corrects=corrects,
        payment_method=payment_method,
        status=InvoiceStatus.ISSUED
        if kind == DocumentKind.INVOICE
        else InvoiceStatus.PAID,
        currency=currency or settings.OSCAR_DEFAULT_CURRENCY,
        language=language
        or getattr(issued_by, "language", "")
        or settings.LANGUAGE_CODE,
        issue_date=today,
        due_date=due_date
        or invoice_due_date(
            company=company, payment_method=payment_method, issue_date=today
        ),
        issued_at=now,
        issued_by=issued_by,
        po_number=po_number,
        total_excl_vat=total_excl,
        total_vat=total_vat,
        total_incl_vat=total_excl + total_vat,
        amount_paid=(total_excl + total_vat)
        if kind == DocumentKind.CREDIT_NOTE
        else ZERO,
        **_payer(company, legal_entity),
        **_seller_snapshot(seller),
    )
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            product_id=ln.product_id,
            article=ln.article,
            title=ln.title,
            unit=ln.unit,
            quantity=ln.quantity,
            unit_price_excl_vat=ln.unit_price_excl_vat,
            vat_rate=ln.vat_rate,
            amount_excl_vat=ln.amount_excl_vat,
            vat_amount=ln.vat_amount,
            amount_incl_vat=ln.amount_excl_vat + ln.vat_amount,
        )
        for position, ln in enumerate(lines, start=1)
    )
    if getattr(settings, "INVOICING_RENDER_PDF_ON_COMMIT", True):
        enqueue_on_commit(invoice_pdf_task, invoice_id=invoice.pk)
    if kind == DocumentKind.INVOICE:
        notify_after_commit(
            kind=Kind.INVOICE_ISSUED,
            users=company_members(company_id=company.pk, roles=[Role.ACCOUNTANT]),
            context={"invoice": invoice},
            path=reverse("cabinet:invoice-list"),
            key=f"invoicing.invoice-issued:{invoice.pk}",
        )
    return invoice


@transaction.atomic
def invoice_issue(
    *,
    order,
    membership: Membership | None,
    legal_entity=None,
    payment_method: str | None = None,
) -> Invoice:
    """The invoice of an order of the membership's company, issued by its user;
    issuing twice returns the invoice already issued."""
    membership_require(membership, "order")
    if order.company_id != membership.company_id:
        raise InvoicingError(_("This order belongs to another company."))
    existing = (
        Invoice.objects.invoices()
        .filter(order=order)
        .exclude(status=InvoiceStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        return existing
    return invoice_create(
        company=membership.company,
        lines=lines_from_order(order),
        payment_method=payment_method
        or order.payment_method
        or PaymentMethod.BANK_TRANSFER,
        issued_by=membership.user,
        order=order,
        legal_entity=legal_entity,
        po_number=order.po_number,
        currency=order.currency,
    )


def invoice_issue_from_basket(
    *,
    basket,
    membership: Membership | None,
    legal_entity=None,
    po_number: str = "",
    due_date: date | None = None,
    permission: str = "order",
) -> Invoice:
    """An invoice to the membership's company for prepayment of what is in the
    basket, issued by its user (the basket stays as it is). A reservation asks
    with `permission="reserve"` and its end as `due_date`."""
    membership_require(membership, permission)
    if basket.is_empty:
        raise InvoicingError(_("Your basket is empty."))
    return invoice_create(
        company=membership.company,
        lines=lines_from_basket(basket),
        payment_method=PaymentMethod.BANK_TRANSFER,
        issued_by=membership.user,
        legal_entity=legal_entity,
        po_number=po_number,
        currency=basket.currency,
        due_date=due_date,
    )


def invoice_order_attach(*, invoice: Invoice, order) -> Invoice:
    """Link an invoice issued before its order (a reservation's prepayment) to the
    order placed from it. The one change of an issued invoice besides its payment
    state: only an empty `order` is filled, with an order of the same company;
    attaching twice to the same order changes nothing."""
    if invoice.company_id != order.company_id:
        raise InvoicingError(_("This order belongs to another company."))
    if invoice.kind != DocumentKind.INVOICE:
        raise InvoicingError(_("Only an invoice can be linked to an order."))
    updated = Invoice.objects.filter(pk=invoice.pk, order__isnull=True).update(
        order=order
    )
    invoice.refresh_from_db()
    if not updated and invoice.order_id != order.pk:
        raise InvoicingError(_("This invoice belongs to another order."))
    return invoice


@transaction.atomic
def credit_note_issue(*, invoice: Invoice, issued_by) -> Invoice:
    """Cancel an unpaid invoice by a credit note for its full amount."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    if (
        invoice.kind != DocumentKind.INVOICE
        or invoice.status == InvoiceStatus.CANCELLED
    ):
        raise InvoicingError(_("This invoice is already cancelled."))
    if invoice.amount_paid > 0:
        raise InvoicingError(
            _("A paid invoice cannot be cancelled; refund the payment first.")
        )
    lines = [
        DraftLine(
            product_id=ln.product_id,
            article=ln.article,
            title=ln.title,
            unit=ln.unit,
            quantity=ln.quantity,
            unit_price_excl_vat=ln.unit_price_excl_vat,
            vat_rate=ln.vat_rate,
            amount_excl_vat=ln.amount_excl_vat,
            vat_amount=ln.vat_amount,
        )
        for ln in invoice.lines.all()
    ]
    note = invoice_create(
        company=invoice.company,
        lines=lines,
        payment_method=invoice.payment_method,
        issued_by=issued_by,
        order=invoice.order,
        legal_entity=invoice.legal_entity,
        currency=invoice.currency,
        language=invoice.language,
        kind=DocumentKind.CREDIT_NOTE,
        corrects=invoice,
    )
    invoice.status = InvoiceStatus.CANCELLED
    invoice.save(update_fields=["status"])
    return note
