"""The one place money is rounded: kopeck/cent precision, half up, never float."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money_quantize(amount) -> Decimal:
    """Round an amount to the currency's minor unit (2 places, half up)."""
    return Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)


def money_to_minor(amount: Decimal) -> int:
    """An amount in minor units (kopecks, cents), as payment providers want it."""
    return int(money_quantize(amount) * 100)


def money_from_minor(amount: int) -> Decimal:
    return money_quantize(Decimal(amount) / 100)


def vat_from_excl(*, amount_excl: Decimal, rate: Decimal) -> Decimal:
    """VAT on a net amount at `rate` percent (used only when prices carry no tax)."""
    return money_quantize(Decimal(amount_excl) * Decimal(rate) / 100)
