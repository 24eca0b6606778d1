"""The EN 16931 reading of an issued invoice or credit note, shared by the CII
(Factur-X) and UBL builders: parties, bank account, lines with UN/ECE unit codes
and VAT categories, the VAT breakdown and the totals."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.conf import settings
from django.utils import translation

from catalog.models import Unit
from invoicing.models import DocumentKind, Invoice

ZERO = Decimal("0.00")
# Our seller entities are Russian legal entities (INN, KPP, BIK): no country field.
SELLER_COUNTRY = "RU"
VAT_STANDARD = "S"
VAT_EXEMPT = "E"
EXEMPTION_REASON = "Not subject to VAT"
TYPE_INVOICE = "380"
TYPE_CREDIT_NOTE = "381"
PAYMENT_CREDIT_TRANSFER = "30"
DEFAULT_UNIT_CODE = "H87"  # piece
UNIT_CODES = {  # UN/ECE Recommendation 20 (with Rec. 21 codes prefixed by X)
    Unit.PIECE: "H87",
    Unit.METRE: "MTR",
    Unit.KILOGRAM: "KGM",
    Unit.LITRE: "LTR",
    Unit.SET: "SET",
    Unit.PACK: "XPK",
    Unit.PAIR: "PR",
    Unit.ROLL: "XRO",
}


@dataclass(frozen=True)
class Party:
    name: str
    tax_id: str
    address: str
    country: str
    email: str

    @property
    def vat_id(self) -> str:
        """The VAT identifier with its ISO 3166 country prefix (BR-CO-09)."""
        if self.tax_id[:2].upper() == self.country:
            return self.tax_id
        return f"{self.country}{self.tax_id}"


@dataclass(frozen=True)
class Line:
    position: int
    article: str
    title: str
    unit_code: str
    quantity: int
    net_price: Decimal
    net_amount: Decimal
    category: str
    rate: Decimal


@dataclass(frozen=True)
class VatRow:
    category: str
    rate: Decimal
    taxable: Decimal
    tax: Decimal

    @property
    def exemption_reason(self) -> str:
        return EXEMPTION_REASON if self.category == VAT_EXEMPT else ""


@dataclass(frozen=True)
class EInvoice:
    number: str
    is_credit_note: bool
    issue_date: date
    due_date: date
    currency: str
    buyer_reference: str
    order_reference: str
    preceding_number: str
    preceding_date: date | None
    seller: Party
    buyer: Party
    bank_account: str
    bank_name: str
    bank_code: str
    lines: list[Line]
    vat_rows: list[VatRow]
    line_total: Decimal
    tax_total: Decimal
    grand_total: Decimal
    prepaid: Decimal

    @property
    def type_code(self) -> str:
        return TYPE_CREDIT_NOTE if self.is_credit_note else TYPE_INVOICE

    @property
    def due_payable(self) -> Decimal:
        return self.grand_total - self.prepaid


def money(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


def rate_text(value: Decimal) -> str:
    return str(Decimal(value).quantize(Decimal("0.01")))


@lru_cache(maxsize=1)
def _unit_labels() -> dict[str, str]:
    """Unit code by every way an invoice line may spell it (code, English, Russian)."""
    labels = {}
    for unit in Unit:
        for language in ("en", "ru"):
            with translation.override(language):
                labels[str(unit.label).lower()] = UNIT_CODES[unit]
        labels[unit.value] = UNIT_CODES[unit]
    return labels


def unit_code(unit: str) -> str:
    return _unit_labels().get(unit.strip().lower(), DEFAULT_UNIT_CODE)


def vat_category(rate: Decimal) -> str:
    return VAT_STANDARD if rate > 0 else VAT_EXEMPT


def _one_line(text: str) -> str:
    return ", ".join(part.strip() for part in text.splitlines() if part.strip())


def _buyer_country(invoice: Invoice) -> str:
    entity = invoice.legal_entity
    return (entity.country if entity else invoice.company.country).upper()


def _buyer_email(invoice: Invoice) -> str:
    if invoice.company.email:
        return invoice.company.email
    return invoice.issued_by.email if invoice.issued_by_id else ""


def _vat_rows(lines: list[Line], vat_by_position: dict[int, Decimal]) -> list[VatRow]:
    sums = defaultdict(lambda: [ZERO, ZERO])
    for line in lines:
        row = sums[(line.category, line.rate)]
        row[0] += line.net_amount
        row[1] += vat_by_position[line.position]
    return [
        VatRow(category=category, rate=rate, taxable=v[0], tax=v[1])
        for (category, rate), v in sorted(sums.items(), key=lambda i: -i[0][1])
    ]


def einvoice_data(invoice: Invoice) -> EInvoice:
    """What both formats say about `invoice`, with its own stored amounts."""
    source = list(invoice.lines.all())
    lines = [
        Line(
            position=ln.position,
            article=ln.article,
            title=ln.title,
            unit_code=unit_code(ln.unit),
            quantity=ln.quantity,
            net_price=ln.unit_price_excl_vat,
            net_amount=ln.amount_excl_vat,
            category=vat_category(ln.vat_rate),
            rate=ln.vat_rate,
        )
        for ln in source
    ]
    corrected = invoice.corrects
    order_number = invoice.order.number if invoice.order_id else ""
    return EInvoice(
        number=invoice.display_number,
        is_credit_note=invoice.kind == DocumentKind.CREDIT_NOTE,
        issue_date=invoice.issue_date,
        due_date=invoice.due_date,
        currency=invoice.currency,
        buyer_reference=invoice.po_number or order_number or invoice.display_number,
        order_reference=invoice.po_number,
        preceding_number=corrected.display_number if corrected else "",
        preceding_date=corrected.issue_date if corrected else None,
        seller=Party(
            name=invoice.seller_name,
            tax_id=invoice.seller_tax_id,
            address=_one_line(invoice.seller_address),
            country=SELLER_COUNTRY,
            email=settings.DEFAULT_FROM_EMAIL,
        ),
        buyer=Party(
            name=invoice.payer_name,
            tax_id=invoice.payer_tax_id,
            address=_one_line(invoice.payer_address),
            country=_buyer_country(invoice),
            email=_buyer_email(invoice),
        ),
        bank_account=invoice.seller_bank_account,
        bank_name=invoice.seller_bank_name,
        bank_code=invoice.seller_bank_bik,
        lines=lines,
        vat_rows=_vat_rows(lines, {ln.position: ln.vat_amount for ln in source}),
        line_total=invoice.total_excl_vat,
        tax_total=invoice.total_vat,
        grand_total=invoice.total_incl_vat,
        prepaid=invoice.amount_paid,
    )
