"""A visitor's first path through the shop in a real browser: home → catalog →
product, on a desktop and on a phone."""

import pytest

from catalog.models import Category
from tests.factories import PartnerFactory, ProductFactory, StockRecordFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


TITLE = "Deep groove ball bearing 6205-2RS"


def _product_listed(page):
    assert page.locator("#main").get_by_role("link", name=TITLE).count() >= 1
    assert TITLE in page.locator("#main").inner_text()


@pytest.fixture
def product(db):
    category = Category.add_root(name="Bearings", slug="bearings")
    product = ProductFactory(title=TITLE, article="6205-2RS")
    product.categories.add(category)
    StockRecordFactory(product=product, partner=PartnerFactory(name="Moscow"))
    return product


def test_home_to_catalog_to_product_on_desktop(
    live_server, chromium, artifacts, product
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    hero = page.locator(".hero")
    assert "at your contract price" in hero.locator("h1").inner_text()
    assert hero.get_by_role("link", name="Get your wholesale prices").is_visible()
    assert page.locator(".topbar__phone").is_visible()
    assert page.get_by_role("button", name="Send request").is_visible()
    page.screenshot(path=artifacts / "home-desktop.png", full_page=True)

    page.locator(".catalog-nav").get_by_role("link", name="Bearings").click()
    page.wait_for_load_state()
    assert page.locator("#main").get_by_text("Bearings").first.is_visible()
    page.screenshot(path=artifacts / "category-desktop.png", full_page=True)
    _product_listed(page)

    page.locator("#main").get_by_role("link", name=TITLE).first.click()
    page.wait_for_load_state()
    assert page.url == live_server.url + product.get_absolute_url()
    assert TITLE in page.locator("h1").inner_text()
    page.screenshot(path=artifacts / "product-desktop.png", full_page=True)


def test_header_collapses_on_a_phone(live_server, chromium, artifacts, product):
    page = chromium.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(live_server.url + "/")
    menu = page.locator("#catalog-menu")
    toggle = page.locator(".catalog-nav__toggle")
    assert toggle.is_visible()
    assert not menu.is_visible()
    # Nothing sticks out sideways.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    page.screenshot(path=artifacts / "home-phone.png", full_page=True)

    toggle.click()
    page.wait_for_selector("#catalog-menu.collapse.show")  # the slide has finished
    assert menu.get_by_role("link", name="Bearings").is_visible()
    page.screenshot(path=artifacts / "home-phone-menu.png")
    menu.get_by_role("link", name="Bearings").click()
    page.wait_for_load_state()
    page.screenshot(path=artifacts / "category-phone.png", full_page=True)
    _product_listed(page)


@pytest.mark.parametrize("width", [1366, 390])
def test_no_product_card_runs_its_text_into_the_price(
    live_server, chromium, artifacts, width
):
    """Long names, a manufacturer's number and the stock line stay above the price
    box of every card (Oscar's card placed the price absolutely over them)."""
    from search.backends import get_backend
    from tests.cabinet.factories import priced_product

    category = Category.add_root(name="Breakers", slug="breakers")
    for n, title in enumerate(
        [
            "Circuit breaker S201 C13 ABB with a rather long catalogue name",
            "Breaker",
            "Modular circuit breaker iC60N 4P 3A D curve, Schneider Electric",
        ]
    ):
        product = priced_product(
            title=title, article=f"2CDS25100{n}R0013{n}", price="1081.92", stock=63
        )
        product.categories.add(category)
    get_backend().rebuild()
    page = chromium.new_page(viewport={"width": width, "height": 900})
    page.goto(live_server.url + category.get_absolute_url() + "?view=cards")
    cards = page.locator(".search-products .product_pod")
    assert cards.count() == 3
    for i in range(3):
        card = cards.nth(i)
        text = card.locator(".availability").bounding_box()
        price = card.locator(".price-box").bounding_box()
        assert text["y"] + text["height"] <= price["y"] + 0.5, card.inner_text()
    page.screenshot(path=artifacts / f"category-cards-{width}.png", full_page=True)
