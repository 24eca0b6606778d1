"""Checkout tests share the invoicing fixtures (seller, credit account, media), the
tests' pricing strategy for requests, and a stock record of 1,000.00 × 10."""

import pytest
from oscar.apps.basket import middleware as basket_middleware

from tests.invoicing.conftest import (  # noqa: F401
    _media_and_no_pdf_on_commit,
    credit_account,
    seller,
)
from tests.invoicing.factories import VatStrategy, stockrecord_make


class _Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return VatStrategy()


@pytest.fixture
def vat_strategy(monkeypatch):
    """Requests price baskets with the tests' strategy (stock record price + VAT)."""
    monkeypatch.setattr(basket_middleware, "selector", _Selector())


@pytest.fixture
def stockrecord(db):
    return stockrecord_make(price="1000.00", stock=10)
