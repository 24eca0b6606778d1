"""The order path in a real browser: a product page with a fitted quantity input,
more than is in stock into the basket, the basket and checkout saying what ships
later, the order placed with the rest back-ordered — on a desktop and a phone, in
English and Russian."""

from decimal import Decimal

import pytest

from accounts.models import CompanyAddress
from catalog.partner.models import Partner
from sales.order.models import LineAllocation, Order
from tests.cabinet.factories import priced_product
from tests.invoicing.factories import SellerEntityFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _log_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name='login-username']", user.email)
    page.fill("input[name='login-password']", "s3cret-pass!")
    page.locator("button[name='login_submit']").click()
    page.wait_for_url(base_url + "/cabinet/")


def _no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize(
    ("language", "width", "texts"),
    [
        ("en", 1366, ("5 available now, the rest (7) in", "back-ordered")),
        ("ru", 390, ("5 в наличии сейчас, остальные (7) через", "под заказ")),
    ],
)
def test_more_than_in_stock_is_told_early_and_ordered_with_a_back_order(
    live_server, chromium, artifacts, buyer, company, language, width, texts
):
    SellerEntityFactory()
    CompanyAddress.objects.create(
        company=company, recipient="Ivan Petrov", line1="ul. Lenina, 1", city="Tula"
    )
    product = priced_product(
        title="Deep groove ball bearing 6310-2RS",
        article="6310-2RS",
        price="812.40",
        stock=5,
        min_order_qty=2,
        order_step=2,
    )
    Partner.objects.update(restock_days=3, lead_time_min_days=0, lead_time_max_days=1)
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    _log_in(page, live_server.url, buyer)

    page.goto(live_server.url + product.get_absolute_url())
    quantity = page.locator("#id_quantity")
    assert (quantity.get_attribute("min"), quantity.get_attribute("step")) == (
        "2",
        "2",
    )
    quantity.fill("12")
    page.screenshot(path=artifacts / f"order-path-product-{language}-{width}.png")
    page.locator("[data-testid='add-to-basket'] button[type='submit']").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/basket/")
    page.screenshot(
        path=artifacts / f"order-path-basket-{language}-{width}.png", full_page=True
    )
    body = page.locator("body").inner_text()
    assert texts[0] in body
    assert _no_horizontal_scroll(page)
    page.screenshot(
        path=artifacts / f"order-path-basket-{language}-{width}.png", full_page=True
    )

    page.goto(live_server.url + "/checkout/")
    assert texts[0] in page.locator("body").inner_text()
    page.screenshot(
        path=artifacts / f"order-path-checkout-{language}-{width}.png", full_page=True
    )
    page.locator("input[name='payment_method'][value='bank_transfer']").check()
    page.locator("#place-order").click()
    page.wait_for_selector("#order-placed")
    assert texts[1] in page.locator("[data-testid='backorders']").inner_text()
    assert _no_horizontal_scroll(page)
    page.screenshot(
        path=artifacts / f"order-path-placed-{language}-{width}.png", full_page=True
    )
    context.close()

    order = Order.objects.get()
    assert order.lines.get().quantity == 12
    parts = sorted((a.quantity, a.is_backorder) for a in LineAllocation.objects.all())
    assert parts == [(5, False), (7, True)]
    assert order.total_excl_tax == Decimal("812.40") * 12
