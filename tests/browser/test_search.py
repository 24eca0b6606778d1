"""A buyer searching in a real browser: suggestions while typing, the results with
what each hit matched on, a misspelt name, facets — on a desktop and on a phone. The
products are indexed the way a running shop indexes them: by the signals after each
commit, not by a rebuild."""

import pytest

from catalog.models import Category
from tests.factories import PartnerFactory, ProductFactory, StockRecordFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def goods(db):
    bearings = Category.add_root(name="Bearings", slug="bearings")
    belts = Category.add_root(name="Belts", slug="belts")
    warehouse = PartnerFactory(name="Moscow")
    ball = ProductFactory(title="Подшипник шариковый 6205-2RS", article="6205-2RS")
    roller = ProductFactory(title="Подшипник роликовый 32205", article="32205")
    belt = ProductFactory(title="Ремень клиновой A-1000", article="BELT-1000")
    ball.categories.add(bearings)
    roller.categories.add(bearings)
    belt.categories.add(belts)
    StockRecordFactory(product=ball, partner=warehouse, num_in_stock=12)
    return {"ball": ball, "roller": roller, "belt": belt}


def _articles(page):
    return page.locator(".search-products").inner_text()


def test_type_pick_a_suggestion_and_narrow_the_results(
    live_server, chromium, artifacts, goods
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    box.press_sequentially("подшип", delay=30)
    options = page.get_by_role("listbox").get_by_role("option")
    options.first.wait_for()
    articles = page.locator(".search-suggest__article").all_inner_texts()
    assert articles == ["32205", "6205-2RS"]  # both bearings, by article
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    assert page.locator("datalist").count() == 0
    assert "In stock" in options.nth(1).inner_text()
    page.screenshot(path=artifacts / "search-suggestions-desktop.png")
    box.press("ArrowDown")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "site-search-option-1"
    assert options.nth(1).get_attribute("aria-selected") == "true"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("listbox").is_hidden()
    box.press("ArrowDown")  # opens again on the first
    with page.expect_navigation():
        box.press("Enter")  # the highlighted product's page
    assert page.url == live_server.url + goods["roller"].get_absolute_url()

    page.goto(live_server.url + "/")
    box = page.locator("#site-search-q")
    box.fill("6205-2RS")
    box.press("Enter")
    page.wait_for_load_state()
    assert "6205-2RS" in _articles(page)
    assert "1 product found" in page.locator(".search-count").inner_text()
    page.screenshot(path=artifacts / "search-article-desktop.png", full_page=True)

    box = page.locator("#site-search-q")
    box.fill("подшибник")  # misspelt
    box.press("Enter")
    page.wait_for_load_state()
    count = page.locator(".search-count").inner_text()
    assert "2 products found" in count and "showing close spellings" in count
    page.locator(".search-facet").get_by_role("link", name="In stock").click()
    page.wait_for_load_state()
    found = _articles(page)
    assert "6205-2RS" in found and "32205" not in found
    page.screenshot(path=artifacts / "search-typo-desktop.png", full_page=True)


def test_results_fit_a_phone(live_server, chromium, artifacts, goods):
    page = chromium.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(live_server.url + "/search/?q=подшипник")
    assert "2 products found" in page.locator(".search-count").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=artifacts / "search-phone.png", full_page=True)


def test_a_title_with_markup_is_shown_as_text(live_server, chromium, goods):
    ProductFactory(title="<img src=x onerror=window.__hit=1> Болт", article="XSS-77")
    page = chromium.new_page()
    page.goto(live_server.url + "/")
    page.locator("#site-search-q").press_sequentially("XSS-77", delay=20)
    name = page.locator(".search-suggest__name").first
    name.wait_for()
    assert name.inner_text() == "<img src=x onerror=window.__hit=1> Болт"
    assert page.locator(".search-suggest img").count() == 0
    assert page.evaluate("window.__hit") is None
