"""Oscar's own doors (issue 21 item 4): its basket add refuses whoever may not order,
its staff CSV exports never hand a spreadsheet a formula, signing out takes a POST,
and opening the card-payment page of an invoice writes nothing."""

import csv
import io

import pytest
from django.test import Client, override_settings
from django.utils.timezone import now
from oscar.apps.address.models import Country
from oscar.apps.analytics.models import ProductRecord, UserRecord

from invoicing.models import Payment, PaymentStatus
from sales.basket.models import Basket, Line
from sales.order.models import ShippingAddress
from shop.dashboard.exports import cell_safe
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, UserFactory
from tests.invoicing.factories import SellerEntityFactory, invoice_make
from tests.invoicing.stripe_server import FakeStripe, serve

pytestmark = pytest.mark.django_db

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# -- Oscar's /basket/add/<pk>/ ------------------------------------------------


@pytest.mark.parametrize(
    "status,role,added",
    [
        ("approved", "buyer", 1),
        ("approved", "accountant", 0),
        ("pending", "buyer", 0),
    ],
)
def test_oscar_basket_add_goes_through_the_one_basket_service(status, role, added):
    company = CompanyFactory(status=status)
    user = MembershipFactory(company=company, role=role).user
    product = priced_product(article="DOOR-1")
    client = Client()
    client.force_login(user)

    response = client.post(f"/basket/add/{product.pk}/", {"quantity": "1"})

    assert response.status_code == 302
    assert Line.objects.filter(basket__owner=user).count() == added


# -- the staff CSV exports ----------------------------------------------------


@pytest.fixture
def hostile_order(company):
    """An order whose buyer typed formulas wherever the exports show their words."""
    user = UserFactory(
        email="=1+2@example.com", first_name='=HYPERLINK("http://x")', last_name="X"
    )
    MembershipFactory(company=company, user=user, role="buyer")
    order = order_make(
        company=company, user=user, lines=[(priced_product(article="DOOR-2"), 1, "5")]
    )
    country = Country.objects.get_or_create(
        iso_3166_1_a2="RU", defaults={"name": "Russia", "is_shipping_country": True}
    )[0]
    order.shipping_address = ShippingAddress.objects.create(
        first_name="@SUM(A1:A9)", last_name="Petrov", line1="ul. Lenina, 1",
        line4="Tula", postcode="300000", country=country,
    )  # fmt: skip
    order.save(update_fields=["shipping_address"])
    return order


def _cells(response) -> list[str]:
    text = b"".join(
        response.streaming_content if response.streaming else [response.content]
    )
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    return [cell for row in rows for cell in row]


def _assert_formula_safe(cells, *escaped):
    assert cells, "an empty export proves nothing"
    assert [c for c in cells if c.startswith(FORMULA_STARTS)] == []
    for text in escaped:
        assert any(cell.startswith("'" + text) for cell in cells), text


def test_dashboard_orders_csv_neutralises_formulas(hostile_order, staff_user):
    client = Client()
    client.force_login(staff_user)

    response = client.get("/dashboard/orders/?response_format=csv")

    assert response.status_code == 200
    _assert_formula_safe(_cells(response), "=1+2@example.com", "@SUM(A1:A9)")


def test_dashboard_selected_orders_download_neutralises_formulas(
    hostile_order, staff_user
):
    client = Client()
    client.force_login(staff_user)

    response = client.post(
        "/dashboard/orders/",
        {"action": "download_selected_orders", "selected_order": [hostile_order.pk]},
    )

    assert response.status_code == 200
    _assert_formula_safe(_cells(response), "=1+2@example.com", "@SUM(A1:A9)")


def test_dashboard_order_report_neutralises_formulas(hostile_order, staff_user):
    client = Client()
    client.force_login(staff_user)

    response = client.get(
        "/dashboard/reports/",
        {"report_type": "order_report", "download": "true"},
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    _assert_formula_safe(_cells(response), '=HYPERLINK("http://x") X', "=1+2@")


@pytest.mark.parametrize(
    "code,escaped",
    [
        ("user_analytics", ["=1+2@example.com", "=HYPERLINK"]),
        ("product_analytics", ["-2+3"]),
        ("open_baskets", ["=1+2@example.com", "=HYPERLINK"]),
        ("submitted_baskets", ["=1+2@example.com"]),
    ],
)
def test_every_dashboard_report_neutralises_formulas(
    hostile_order, staff_user, code, escaped
):
    user = hostile_order.user
    Basket.objects.create(owner=user, status=Basket.OPEN)
    Basket.objects.create(owner=user, status=Basket.SUBMITTED, date_submitted=now())
    UserRecord.objects.create(user=user, num_orders=1)
    ProductRecord.objects.create(
        product=priced_product(article="DOOR-3", title="-2+3 bearing"), num_views=4
    )
    client = Client()
    client.force_login(staff_user)

    response = client.get("/dashboard/reports/", {"report_type": code, "download": "1"})

    assert response.status_code == 200
    _assert_formula_safe(_cells(response), *escaped)


def test_a_safe_cell_keeps_numbers_and_quotes_every_formula_start():
    assert [cell_safe(v) for v in ("=1", "+1", "-1", "@A", "\t=1", "\r=1")] == [
        "'=1", "'+1", "'-1", "'@A", "'\t=1", "'\r=1",
    ]  # fmt: skip
    assert cell_safe("Petrov") == "Petrov"
    assert cell_safe(-5) == -5  # a number is no formula


# -- signing out --------------------------------------------------------------


def test_a_get_of_the_logout_url_does_not_sign_out(buyer_client):
    response = buyer_client.get("/accounts/logout/")

    assert response.status_code == 200
    assert "_auth_user_id" in buyer_client.session
    html = response.content.decode()
    assert 'method="post"' in html and 'action="/accounts/logout/"' in html


def test_a_post_signs_out(buyer_client):
    response = buyer_client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in buyer_client.session


def test_a_visitor_asking_to_sign_out_goes_home(client):
    assert client.get("/accounts/logout/")["Location"] == "/"


def test_the_header_signs_out_with_a_post_form(buyer_client):
    html = buyer_client.get("/cabinet/").content.decode()

    assert 'action="/accounts/logout/" method="post"' in html
    assert 'href="/accounts/logout/"' not in html


# -- the card-payment page of an invoice --------------------------------------


@pytest.fixture
def fake_stripe():
    fake = FakeStripe()
    server = serve(fake)
    with override_settings(
        STRIPE_API_BASE=f"http://127.0.0.1:{server.server_address[1]}",
        STRIPE_SECRET_KEY="sk_test_local",
    ):
        yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def invoice(company):
    SellerEntityFactory()
    return invoice_make(company=company)


def test_opening_the_pay_page_writes_nothing(buyer_client, invoice, fake_stripe):
    pages = [buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pay/") for _ in range(3)]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert 'id="card-form"' in pages[0].content.decode()
    assert Payment.objects.count() == 0
    assert fake_stripe.requests == []


def test_opening_the_pay_page_with_stripe_down_leaves_no_payment(buyer_client, invoice):
    with override_settings(STRIPE_API_BASE="http://127.0.0.1:9", STRIPE_SECRET_KEY="k"):
        for _ in range(3):
            buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pay/")

    assert Payment.objects.count() == 0


def test_paying_creates_one_payment_on_the_post(buyer_client, invoice, fake_stripe):
    buyer_client.get(f"/cabinet/invoices/{invoice.pk}/pay/")

    response = buyer_client.post(
        f"/cabinet/invoices/{invoice.pk}/pay/", {"payment_method": "pm_card_visa"}
    )

    assert response.status_code == 302
    assert list(Payment.objects.values_list("status", flat=True)) == [
        PaymentStatus.SUCCEEDED
    ]
