"""Visual regression by geometry: the text boxes of every listing row and card (price
vs. title, article, manufacturer, availability), the basket lines' cells and the
product page's price box must not overlap, and no page may scroll sideways — at
1366 px and 390 px, in English and Russian, in table and card view. Screenshots go
to tests/artifacts/."""

from decimal import Decimal

import pytest

from catalog.models import Category
from tests.cabinet.factories import priced_product
from tests.factories import ManufacturerFactory
from tests.pricing.factories import ContractFactory, ContractItemFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (1366, 390)
LANGUAGES = ("en", "ru")

# Pairs of text boxes inside one container that intersect (an element and its own
# descendant do not count). Returns [[container index, text of a, text of b], ...].
OVERLAPS_JS = """
([containerSelector, partSelector]) => {
  const found = [];
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && style.visibility !== "hidden";
  };
  document.querySelectorAll(containerSelector).forEach((box, index) => {
    const parts = [...box.querySelectorAll(partSelector)].filter(visible);
    for (let i = 0; i < parts.length; i++) {
      for (let j = i + 1; j < parts.length; j++) {
        const a = parts[i], b = parts[j];
        if (a.contains(b) || b.contains(a)) continue;
        const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
        const x = Math.min(ra.right, rb.right) - Math.max(ra.left, rb.left);
        const y = Math.min(ra.bottom, rb.bottom) - Math.max(ra.top, rb.top);
        if (x > 1 && y > 1) {
          found.push([index, a.innerText.slice(0, 40), b.innerText.slice(0, 40)]);
        }
      }
    }
  });
  return found;
}
"""
LISTING_ITEMS = "[data-testid=listing-item], .product_pod"
LISTING_PARTS = (
    "h3, .product-title, .product-article, .product-manufacturer, .availability,"
    " .price-box, .price-label, .add-to-basket, .matched-on, .product_pod p"
)
BASKET_LINES = "[data-testid=basket-line]"
BASKET_PARTS = ":scope > *, td, th"
PRODUCT_PAGE = "main, #content_inner, body"
PRODUCT_PARTS = (
    ".price-box, h1, .product-article, .availability, [data-testid=add-to-basket]"
)


def _overlaps(page, containers, parts):
    return page.evaluate(OVERLAPS_JS, [containers, parts])


def _scrolls_sideways(page):
    return page.evaluate("document.documentElement.scrollWidth > window.innerWidth + 1")


@pytest.fixture
def shelf(db, company):
    bearings = Category.add_root(name="Bearings", slug="bearings")
    ball = bearings.add_child(name="Ball radial", slug="ball-radial")
    maker = ManufacturerFactory(name="SKF Group Industrial Bearings")
    contract = ContractFactory(company=company, number="C-2026-01")
    products = []
    for n in range(6):
        product = priced_product(
            title=f"Deep groove ball bearing 62{n:02d}-2RS1 sealed, heavy duty series",
            article=f"62{n:02d}-2RS1-LONG-ARTICLE",
            price="1812.40",
            stock=5 if n % 2 else 0,
            manufacturer=maker,
            manufacturer_article=f"SKF-62{n:02d}-2RSH/C3-LONG",
            min_order_qty=2,
            order_step=2,
        )
        product.categories.add(ball)
        if n % 3 == 0:
            ContractItemFactory(
                contract=contract, product=product, price=Decimal("1594.91")
            )
        products.append(product)
    return {"category": ball, "products": products}


def _context(chromium, live_server, client, user, language, width):
    client.force_login(user)
    # The check injects a <style> of its own, which the page's policy refuses.
    context = chromium.new_context(
        viewport={"width": width, "height": 900}, bypass_csp=True
    )
    context.add_cookies(
        [
            {"name": "django_language", "value": language, "url": live_server.url},
            {
                "name": "sessionid",
                "value": client.cookies["sessionid"].value,
                "url": live_server.url,
            },
        ]
    )
    return context


@pytest.mark.parametrize("view", ["table", "cards"])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_listing_rows_and_cards_do_not_overlap(
    live_server, chromium, artifacts, client, buyer, shelf, view, language, width
):
    context = _context(chromium, live_server, client, buyer, language, width)
    page = context.new_page()
    url = live_server.url + shelf["category"].get_absolute_url()
    page.goto(f"{url}?view={view}")
    assert page.locator("[data-testid=listing-item]").count() == 6
    page.screenshot(
        path=artifacts / f"listing-{view}-{language}-{width}.png", full_page=True
    )
    if view == "table":
        page.screenshot(
            path=artifacts / f"category-{language}-{width}.png", full_page=True
        )
    overlaps = _overlaps(page, LISTING_ITEMS, LISTING_PARTS)
    assert overlaps == []
    assert not _scrolls_sideways(page)
    context.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_product_basket_and_checkout_do_not_overlap(
    live_server, chromium, artifacts, client, buyer, shelf, language, width
):
    context = _context(chromium, live_server, client, buyer, language, width)
    page = context.new_page()
    product = shelf["products"][1]
    page.goto(live_server.url + product.get_absolute_url())
    page.screenshot(path=artifacts / f"product-{language}-{width}.png", full_page=True)
    assert _overlaps(page, PRODUCT_PAGE, PRODUCT_PARTS) == []
    assert not _scrolls_sideways(page)
    page.locator("[data-testid='add-to-basket'] button[type='submit']").click()
    page.wait_for_load_state()

    page.goto(live_server.url + "/basket/")
    page.screenshot(path=artifacts / f"basket-{language}-{width}.png", full_page=True)
    assert _overlaps(page, BASKET_LINES, BASKET_PARTS) == []
    assert not _scrolls_sideways(page)

    page.goto(live_server.url + "/checkout/")
    page.screenshot(path=artifacts / f"checkout-{language}-{width}.png", full_page=True)
    assert not _scrolls_sideways(page)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_check_catches_oscars_absolute_price_box(
    live_server, chromium, client, buyer, shelf, width
):
    """Oscar's own card put back on the card view: a fixed height with the price
    pinned to the bottom (`.product_pod {height: 380px; overflow: hidden}`,
    `.product_pod .product_price {position: absolute; bottom: 0}`), which drew the
    price over the article and manufacturer of every listing. Oscar's 380 px hold a
    165 px image box; these cards have no image, so the same room for text is about
    215 px. The geometry check reports every card."""
    context = _context(chromium, live_server, client, buyer, "en", width)
    page = context.new_page()
    url = live_server.url + shelf["category"].get_absolute_url()
    page.goto(f"{url}?view=cards")
    assert _overlaps(page, LISTING_ITEMS, LISTING_PARTS) == []
    page.add_style_tag(
        content=".product_pod { height: 215px !important; overflow: hidden;"
        " position: relative; }"
        ".product_pod .product_price { position: absolute !important; bottom: 0; }"
    )
    overlaps = _overlaps(page, ".product_pod", LISTING_PARTS)
    assert len({index for index, _, _ in overlaps}) == 6  # every card
    context.close()
