"""Two companies, each with its account manager, an order, an invoice and a lead."""

import pytest
from oscar.apps.address.models import Country

from accounts.staff import account_manager_add
from content.models import Lead
from sales.order.models import ShippingAddress
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory
from tests.invoicing.factories import SellerEntityFactory, invoice_make


@pytest.fixture(autouse=True)
def _no_pdf_on_commit(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def manager(db):
    user = StaffFactory(email="elena@shop.example")
    account_manager_add(user)
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def _company_with_business(name, *, manager):
    company = CompanyFactory(name=name, account_manager=manager)
    buyer = MembershipFactory(company=company, role="buyer").user
    order = order_make(
        company=company, user=buyer, lines=[(priced_product(), 2, "100.00")]
    )
    order.shipping_address = ShippingAddress.objects.create(
        first_name="Ivan",
        last_name="Petrov",
        line1="ul. Lenina, 1",
        line4="Moscow",
        postcode="101000",
        country=Country.objects.get_or_create(
            iso_3166_1_a2="RU", defaults={"name": "Russia"}
        )[0],
    )
    order.save(update_fields=["shipping_address"])
    return {
        "company": company,
        "order": order,
        "invoice": invoice_make(company=company),
        "lead": Lead.objects.create(
            name=f"Lead of {name}",
            email=f"lead@{name.lower()}.example",
            company=company,
        ),
    }


@pytest.fixture
def own(manager):
    SellerEntityFactory()
    return _company_with_business("Alpha", manager=manager)


@pytest.fixture
def foreign(own):
    other = StaffFactory(email="oleg@shop.example")
    account_manager_add(other)
    return _company_with_business("Omega", manager=other)
