"""`price`: Oscar's `currency` filter, remembered per value, currency and language.

A listing formats the same few thousand prices request after request, and Babel takes
about 0.1 ms for each; the text for a value does not change while the process runs
(OSCAR_CURRENCY_FORMAT is read at start-up like every setting)."""

from decimal import Decimal
from functools import lru_cache

from django import template
from django.utils.translation import get_language
from oscar.templatetags.currency_filters import currency

register = template.Library()


@register.filter(name="price")
def price(value, currency_code=None):
    if not isinstance(value, Decimal):
        return currency(value, currency_code)
    return _formatted(value, currency_code, get_language())


@lru_cache(maxsize=8192)
def _formatted(value: Decimal, currency_code, language) -> str:
    return currency(value, currency_code)
