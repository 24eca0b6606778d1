"""The one money rounding (core.money): half up to the cent, Decimal only."""

from decimal import Decimal

import pytest

from core.money import money_from_minor, money_quantize, money_to_minor


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        ("-2.675", "-2.68"),
        ("10", "10.00"),
        ("1234567.895", "1234567.90"),
    ],
)
def test_money_quantize_rounds_half_up_to_two_places(amount, rounded):
    result = money_quantize(Decimal(amount))

    assert result == Decimal(rounded)
    assert str(result) == rounded


@pytest.mark.parametrize("amount", [2.675, 1, "1.00", None])
def test_money_quantize_refuses_anything_but_decimal(amount):
    with pytest.raises(TypeError):
        money_quantize(amount)


def test_minor_units_round_trip():
    assert money_to_minor(Decimal("12.345")) == 1235
    assert money_to_minor(Decimal("0.01")) == 1
    assert money_from_minor(1235) == Decimal("12.35")
    assert str(money_from_minor(1)) == "0.01"
    with pytest.raises(TypeError):
        money_from_minor(12.35)
