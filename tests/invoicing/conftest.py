"""Fixtures of the invoicing tests: a seller, a credit account, no PDFs on commit."""

import pytest

from tests.invoicing.factories import CreditAccountFactory, SellerEntityFactory
from tests.invoicing.stripe_server import FakeStripe, serve


@pytest.fixture(autouse=True)
def _media_and_no_pdf_on_commit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def seller(db):
    return SellerEntityFactory()


@pytest.fixture
def credit_account(db, company):
    return CreditAccountFactory(company=company)


WEBHOOK_SECRET = "whsec_test_secret"


@pytest.fixture
def fake_stripe(settings):
    """The real Stripe SDK talking to a local fake Stripe."""
    fake = FakeStripe()
    server = serve(fake)
    settings.STRIPE_API_BASE = f"http://127.0.0.1:{server.server_address[1]}"
    settings.STRIPE_SECRET_KEY = "sk_test_local"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield fake
    server.shutdown()
    server.server_close()
