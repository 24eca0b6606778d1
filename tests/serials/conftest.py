"""Two companies, each with an order of serialised goods (one shipped, with its
delivery note) and a fastener line; staff to enter the serials."""

import pytest

from invoicing.services.delivery import delivery_note_issue
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory
from tests.invoicing.factories import SellerEntityFactory


@pytest.fixture(autouse=True)
def _no_pdf_on_commit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def staff(db):
    return StaffFactory(is_superuser=True, email="serials@shop.example")


@pytest.fixture
def world(db):
    SellerEntityFactory()
    motor = priced_product(article="MTR-0.75", title="Motor 0.75 kW")
    bolt = priced_product(article="DIN933-M8x40", title="Bolt M8x40")
    alpha = CompanyFactory(name="Alpha")
    beta = CompanyFactory(name="Beta")
    alpha_buyer = MembershipFactory(company=alpha, role="buyer").user
    beta_buyer = MembershipFactory(company=beta, role="buyer").user
    shipped = order_make(
        company=alpha,
        user=alpha_buyer,
        lines=[(motor, 3, "100"), (bolt, 200, "1")],
        status="Shipped",
    )
    note = delivery_note_issue(order=shipped)
    open_order = order_make(company=alpha, user=alpha_buyer, lines=[(motor, 2, "100")])
    foreign = order_make(
        company=beta, user=beta_buyer, lines=[(motor, 5, "100")], status="Shipped"
    )
    foreign_note = delivery_note_issue(order=foreign)
    return {
        "motor": motor,
        "bolt": bolt,
        "alpha": alpha,
        "beta": beta,
        "alpha_buyer": alpha_buyer,
        "beta_buyer": beta_buyer,
        "shipped": shipped,
        "note": note,
        "open": open_order,
        "foreign": foreign,
        "foreign_note": foreign_note,
    }
