"""How numbers, quantities, rates and dates read on documents, per language: ru
"2 342,74" (no-break space between thousands, decimal comma), en "2,342.74". Every
PDF formats through these functions (babel's `format_decimal` over CLDR data, not
Django's localisation, so a document reads the same whatever the site's settings)."""

from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal

from core.money import money_quantize

NBSP = "\u00a0"


def document_locale(language: str | None) -> str:
    """The babel locale of a document language ("ru", "ru-RU" → "ru"; else "en")."""
    return "ru" if (language or "").lower().startswith("ru") else "en"


def amount_format(value, *, language: str) -> str:
    """A money amount with two decimals and grouped thousands; "" for None."""
    if value is None or value == "":
        return ""
    text = format_decimal(
        money_quantize(Decimal(str(value))),
        format="#,##0.00",
        locale=document_locale(language),
    )
    # CLDR's Russian group sign is a no-break space (U+00A0) in current data and a
    # narrow one (U+202F) in some; keep one, so a number never wraps at the group.
    return text.replace("\u202f", NBSP)


def number_format(value, *, language: str) -> str:
    """A quantity or a rate: grouped, decimals only where there are any."""
    if value is None or value == "":
        return ""
    text = format_decimal(
        Decimal(str(value)), format="#,##0.###", locale=document_locale(language)
    )
    return text.replace("\u202f", NBSP)


def date_long(value: date, *, language: str) -> str:
    """A date as the heading of a Russian form reads it: "5 марта 2026 г."
    (English: "5 March 2026")."""
    if value is None:
        return ""
    if document_locale(language) == "ru":
        return format_date(value, format="d MMMM y", locale="ru") + " г."
    return format_date(value, format="d MMMM y", locale="en")
