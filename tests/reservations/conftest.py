"""Reservation tests share the invoicing fixtures (a seller, media, no PDFs on
commit) and the fake Stripe server."""

from tests.invoicing.conftest import (  # noqa: F401
    _media_and_no_pdf_on_commit,
    credit_account,
    fake_stripe,
    seller,
)
