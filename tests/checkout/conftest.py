"""Checkout tests share the invoicing fixtures (seller, credit account, media)."""

from tests.invoicing.conftest import (  # noqa: F401
    _media_and_no_pdf_on_commit,
    credit_account,
    seller,
)
