"""The Content-Security-Policy in a real browser: the storefront's pages and their
scripts run with no violation, and so do the back offices under their relaxed
policy."""

import pytest
from django.conf import settings
from django.test import Client

from tests.browser.conftest import chromium, restore_migrated_data  # noqa: F401
from tests.cabinet.factories import priced_product
from tests.factories import StaffFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _watched(page, *, errors=True) -> list[str]:
    """Every console message about the policy, and (on our own pages) every page
    error."""
    seen: list[str] = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    if errors:
        page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def test_home_and_product_page_run_with_no_violation(
    live_server,
    chromium,  # noqa: F811
    buyer,
):
    product = priced_product(
        title="Deep groove ball bearing 6310-2RS", article="6310-2RS", stock=20
    )
    page = chromium.new_page(viewport={"width": 1280, "height": 900})
    violations = _watched(page)

    page.goto(live_server.url + "/")
    page.wait_for_load_state("load")
    page.goto(live_server.url + product.get_absolute_url())
    page.wait_for_load_state("load")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='login-username']", buyer.email)
    page.fill("input[name='login-password']", "s3cret-pass!")
    page.locator("button[name='login_submit']").click()
    page.wait_for_url(live_server.url + "/cabinet/")
    page.goto(live_server.url + product.get_absolute_url())
    page.wait_for_load_state("load")
    assert page.evaluate("typeof window.oscar") == "object"
    page.locator("#id_quantity").fill("3")
    page.locator("[data-testid='add-to-basket'] button[type='submit']").click()
    page.wait_for_load_state("load")
    page.goto(live_server.url + "/basket/")
    page.wait_for_load_state("load")

    assert "6310-2RS" in page.locator("#main, main").first.inner_text()
    assert violations == []


def test_dashboard_and_wagtail_admin_run_under_their_policy(live_server, chromium):  # noqa: F811
    client = Client()
    client.force_login(StaffFactory(is_superuser=True))
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    # Oscar's dashboard raises errors of its own (Bootstrap before jQuery); only
    # the policy is checked here.
    violations = _watched(page, errors=False)
    for url in ["/dashboard/", "/dashboard/catalogue/", "/cms/", "/cms/pages/"]:
        response = page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        assert response.status == 200, url
        assert "'unsafe-inline'" in response.headers["content-security-policy"]
    assert violations == []
