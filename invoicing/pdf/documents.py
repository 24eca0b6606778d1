"""What goes on a document besides its rows: amounts in words, VAT breakdown, the
payment QR code (ST00012, the Russian bank-transfer format)."""

from collections import defaultdict
from decimal import Decimal

import segno
from num2words import num2words

from core.money import ZERO, money_quantize, money_to_minor


def amount_in_words(*, amount: Decimal, currency: str, language: str) -> str:
    lang = "ru" if language.startswith("ru") else "en"
    try:
        text = num2words(
            money_quantize(amount), lang=lang, to="currency", currency=currency
        )
    except NotImplementedError:
        text = f"{num2words(int(amount), lang=lang)} {currency}"
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
