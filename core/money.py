"""The one place money is rounded: two places (kopecks, cents), half up, Decimal only;
and amounts in minor units, as payment providers want them."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def money_quantize(amount: Decimal) -> Decimal:
    """Round an amount to the minor unit (2 places, half up). A float is refused: it
    has already lost the exact value."""
    if not isinstance(amount, Decimal):
        raise TypeError(f"money is Decimal, not {type(amount).__name__}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money_to_minor(amount: Decimal) -> int:
    """An amount in minor units (kopecks, cents), rounded first."""
    return int(money_quantize(amount) * 100)


def money_from_minor(amount: int) -> Decimal:
    """Minor units (kopecks, cents) back to an amount."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError(f"minor units are int, not {type(amount).__name__}")
    return money_quantize(Decimal(amount) / 100)
