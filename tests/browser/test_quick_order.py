"""A buyer's quick order in a real browser: log in, paste lines as they come from
Excel, read each line's result, add everything to the basket — and the same page on a
phone."""

import pytest

from tests.cabinet.factories import priced_product

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASTE = "Article\tQty\n6205-2RS\t4\nDIN933-M8X40; 120\nnope-404 1\n6205-2rs 2\n"


@pytest.fixture
def goods(db):
    return {
        "bearing": priced_product(
            title="Deep groove ball bearing 6205-2RS", article="6205-2RS"
        ),
        "bolt": priced_product(
            title="Hex bolt DIN 933 M8x40",
            article="DIN933-M8X40",
            price="2.50",
            min_order_qty=100,
            order_step=50,
        ),
    }


def _log_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name='login-username']", user.email)
    page.fill("input[name='login-password']", "s3cret-pass!")
    page.locator("button[name='login_submit']").click()
    page.wait_for_url(base_url + "/cabinet/")


def _line(page, number):
    return page.locator(f"tr.quick-order-line[data-line='{number}']")


def test_paste_check_and_add_all_to_the_basket(
    live_server, chromium, artifacts, buyer, goods
):
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    _log_in(page, live_server.url, buyer)
    page.locator(".cabinet-nav").get_by_role("link", name="Quick order").click()
    page.wait_for_load_state()
    page.fill("textarea[name='lines']", PASTE)
    page.get_by_role("button", name="Check lines").click()
    page.wait_for_selector("#quick-order-table")

    assert _line(page, 2).get_attribute("data-status") == "found"
    assert "summed with line(s) 5" in _line(page, 2).inner_text()
    bolt = _line(page, 3)
    assert bolt.get_attribute("data-status") == "found"
    assert "rounded up to a multiple of 50 (order step)" in bolt.inner_text()
    assert "150" in bolt.locator("td").nth(4).inner_text()
    assert _line(page, 4).get_attribute("data-status") == "not_found"
    page.screenshot(path=artifacts / "quick-order-desktop.png", full_page=True)

    page.get_by_role("button", name="Add all to basket").click()
    page.wait_for_url(live_server.url + "/basket/")
    text = page.locator("#main").inner_text()
    assert "2 lines added to the basket." in text
    assert goods["bearing"].title in text and goods["bolt"].title in text
    page.screenshot(path=artifacts / "quick-order-basket.png", full_page=True)


def test_the_results_fit_a_phone(live_server, chromium, artifacts, buyer, goods):
    page = chromium.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    _log_in(page, live_server.url, buyer)
    page.goto(live_server.url + "/cabinet/quick-order/")
    page.fill("textarea[name='lines']", PASTE)
    page.get_by_role("button", name="Check lines").click()
    page.wait_for_selector("#quick-order-table")
    # The wide table scrolls inside its box; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.get_by_role("button", name="Add all to basket").is_visible()
    page.screenshot(path=artifacts / "quick-order-phone.png", full_page=True)
