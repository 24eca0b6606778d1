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
