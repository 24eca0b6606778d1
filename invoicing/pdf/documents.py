"""What goes on a document: its rows (any lines to one row shape), totals, amounts in
words, VAT breakdown, the currency's name and code, the payment QR code (ST00012,
the Russian bank-transfer format)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import segno
from babel.numbers import get_currency_name
from num2words import num2words

from core.money import ZERO, money_quantize, money_to_minor
from invoicing.pdf.formatting import document_locale
from invoicing.pdf.units import CURRENCY_NUMERIC, unit_code


def amount_in_words(*, amount: Decimal, currency: str, language: str) -> str:
    """The amount as Russian accountants write it: roubles in words, kopecks in
    figures ("Две тысячи триста сорок два рубля 74 копейки"); likewise in English."""
    lang = "ru" if language.startswith("ru") else "en"
    value = money_quantize(amount)
    try:
        text = num2words(
            value,
            lang=lang,
            to="currency",
            currency=currency,
            cents=False,
            separator="" if lang == "ru" else ",",
        )
    except NotImplementedError:
        cents = int(abs(value) * 100) % 100
        text = f"{num2words(int(value), lang=lang)} {currency} {cents:02d}"
    return text[:1].upper() + text[1:]


def vat_breakdown(lines) -> list[dict]:
    """Net, VAT and gross per VAT rate, highest rate first."""
    by_rate = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for line in lines:
        row = by_rate[line.vat_rate]
        row[0] += line.amount_excl_vat
        row[1] += line.vat_amount
        row[2] += line.amount_incl_vat
    return [
        {"rate": rate, "excl": v[0], "vat": v[1], "incl": v[2]}
        for rate, v in sorted(by_rate.items(), reverse=True)
    ]


def _st_field(value: str) -> str:
    # "|" separates fields in ST00012; it may not appear inside one.
    return str(value).replace("|", " ").replace("\n", " ").strip()


def payment_qr_payload(invoice) -> str:
    """The ST00012 string bank apps read to pre-fill a transfer for the invoice."""
    fields = [
        ("Name", invoice.seller_name),
        ("PersonalAcc", invoice.seller_bank_account),
        ("BankName", invoice.seller_bank_name),
        ("BIC", invoice.seller_bank_bik),
        ("CorrespAcc", invoice.seller_bank_corr_account),
        ("PayeeINN", invoice.seller_tax_id),
        ("KPP", invoice.seller_kpp),
        ("Sum", str(money_to_minor(invoice.amount_due))),
        (
            "Purpose",
            f"Оплата по счёту № {invoice.display_number} от "
            f"{invoice.issue_date:%d.%m.%Y}",
        ),
        ("PayerINN", invoice.payer_tax_id),
    ]
    return "ST00012|" + "|".join(f"{k}={_st_field(v)}" for k, v in fields if v)


def payment_qr_data_uri(invoice) -> str:
    qr = segno.make(payment_qr_payload(invoice), encoding="utf-8", error="m")
    return qr.svg_data_uri(scale=4, border=0)


@dataclass(frozen=True)
class DocumentRow:
    """One line of a document's goods table, whatever the document."""

    position: int
    article: str
    title: str
    unit: str
    okei: str
    quantity: int
    unit_price_excl_vat: Decimal
    vat_rate: Decimal
    amount_excl_vat: Decimal
    vat_amount: Decimal
    amount_incl_vat: Decimal
    promise: object = None


def document_rows(lines, *, promises=None) -> list[DocumentRow]:
    """Rows from invoice lines or draft lines (`invoicing.services.invoices`):
    numbered from 1, the unit with its ОКЕИ code, the stock promise when given."""
    promises = list(promises or [])
    rows = []
    for index, line in enumerate(lines):
        unit = unit_code(line.unit)
        gross = getattr(line, "amount_incl_vat", None)
        rows.append(
            DocumentRow(
                position=getattr(line, "position", None) or index + 1,
                article=line.article,
                title=line.title,
                unit=line.unit,
                okei=unit.okei,
                quantity=line.quantity,
                unit_price_excl_vat=line.unit_price_excl_vat,
                vat_rate=line.vat_rate,
                amount_excl_vat=line.amount_excl_vat,
                vat_amount=line.vat_amount,
                amount_incl_vat=gross
                if gross is not None
                else line.amount_excl_vat + line.vat_amount,
                promise=promises[index] if index < len(promises) else None,
            )
        )
    return rows


@dataclass(frozen=True)
class Totals:
    excl: Decimal
    vat: Decimal
    incl: Decimal
    quantity: int = 0


def rows_total(rows) -> Totals:
    return Totals(
        quantity=sum(r.quantity for r in rows),
        excl=sum((r.amount_excl_vat for r in rows), ZERO),
        vat=sum((r.vat_amount for r in rows), ZERO),
        incl=sum((r.amount_incl_vat for r in rows), ZERO),
    )


def currency_label(currency: str, *, language: str) -> tuple[str, str]:
    """The currency's name in the document language and its ISO numeric code."""
    name = get_currency_name(currency, locale=document_locale(language))
    return name[:1].upper() + name[1:], CURRENCY_NUMERIC.get(currency, "")
