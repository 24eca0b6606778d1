"""Template filters of the document PDFs: numbers and dates in the language the
document is rendered in (`invoicing.pdf.formatting` does the work)."""

from django import template
from django.utils import translation

from invoicing.pdf import formatting
from invoicing.pdf.units import unit_label

register = template.Library()


@register.filter
def amount(value) -> str:
    """2342.74 → "2 342,74" (ru) / "2,342.74" (en)."""
    return formatting.amount_format(value, language=translation.get_language())


@register.filter
def number(value) -> str:
    """A quantity or a VAT rate: 1500 → "1 500", 20.00 → "20"."""
    return formatting.number_format(value, language=translation.get_language())


@register.filter
def date_long(value) -> str:
    return formatting.date_long(value, language=translation.get_language())


@register.filter
def unit_name(value) -> str:
    """A unit of measure in the document's language ("pcs" → "шт" in Russian)."""
    return unit_label(value, language=translation.get_language())
