"""Punchouts in a real browser: the procurement system opens the shop (OCI: by
URL; cXML: by a PunchOutSetupRequest and its StartPage), the buyer adds a product
on its page and transfers the basket; the transfer page's form goes to the hook by
itself — the browser enforces the page's Content-Security-Policy, which allows that
one origin — and the procurement system receives the NEW_ITEM-* fields or the
PunchOutOrderMessage."""

from urllib.parse import urlencode
from urllib.request import Request, urlopen

import pytest

from tests.cabinet.factories import priced_product
from tests.punchout.test_oci import PASSWORD, Procurement

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def procurement():
    system = Procurement()
    yield system
    system.server.shutdown()


@pytest.mark.parametrize("width", [1366, 390])
def test_the_basket_reaches_the_procurement_system(
    live_server, chromium, artifacts, procurement, width
):
    from accounts.models import Company, Role
    from tests.factories import CompanyFactory, MembershipFactory

    member = MembershipFactory(
        company=CompanyFactory(status=Company.Status.APPROVED), role=Role.BUYER
    )
    member.user.set_password(PASSWORD)
    member.user.save()
    product = priced_product(article="NU-2205", price="1240.00")
    context = chromium.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and violations.append(m.text),
    )
    params = {
        "HOOK_URL": procurement.hook,
        "USERNAME": member.user.email,
        "PASSWORD": PASSWORD,
        "~TARGET": "_top",
    }
    page.goto(f"{live_server.url}/punchout/oci/?{urlencode(params)}")
    page.goto(live_server.url + product.get_absolute_url())
    form = page.locator(f"form[action='/basket/add/{product.pk}/']").first
    form.locator("input[name='quantity']").fill("3")
    form.locator("[type='submit']").click()
    page.goto(f"{live_server.url}/basket/")
    page.screenshot(path=artifacts / f"punchout-basket-{width}.png", full_page=True)
    page.click("[data-testid='punchout-transfer']")
    page.wait_for_selector("text=Basket received")
    assert violations == []
    items = procurement.items()
    assert items["NEW_ITEM-VENDORMAT[1]"] == "NU-2205"
    assert items["NEW_ITEM-QUANTITY[1]"] == "3"
    assert items["NEW_ITEM-PRICE[1]"] == "1240.00"
    context.close()


def test_a_cxml_punchout_reaches_the_procurement_system(
    live_server, chromium, artifacts, procurement, settings
):
    """cXML: the procurement system's server posts the PunchOutSetupRequest over
    HTTP, the browser opens the StartPage, and the transfer page posts the
    PunchOutOrderMessage to the BrowserFormPost URL by itself."""
    from defusedxml import ElementTree as SafeET

    from accounts.models import Company, Role
    from tests.factories import CompanyFactory, MembershipFactory
    from tests.punchout.test_cxml import COOKIE, CxmlBuyer

    settings.SHOP_BASE_URL = live_server.url
    member = MembershipFactory(
        company=CompanyFactory(status=Company.Status.APPROVED), role=Role.BUYER
    )
    member.user.set_password(PASSWORD)
    member.user.save()
    product = priced_product(article="NU-2206", price="1310.00")
    body = CxmlBuyer(None, procurement.hook).document(identity=member.user.email)
    setup = Request(
        f"{live_server.url}/punchout/cxml/setup/",
        data=body,
        headers={"Content-Type": "text/xml; charset=UTF-8"},
    )
    with urlopen(setup, timeout=10) as answer:
        start = SafeET.fromstring(answer.read(), forbid_dtd=False).findtext(
            "Response/PunchOutSetupResponse/StartPage/URL"
        )
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    violations = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and violations.append(m.text),
    )
    page.goto(start)
    page.goto(live_server.url + product.get_absolute_url())
    form = page.locator(f"form[action='/basket/add/{product.pk}/']").first
    form.locator("input[name='quantity']").fill("2")
    form.locator("[type='submit']").click()
    page.goto(f"{live_server.url}/basket/")
    page.click("[data-testid='punchout-transfer']")
    page.wait_for_selector("text=Basket received")
    page.screenshot(path=artifacts / "punchout-cxml-received.png")
    assert violations == []
    message = SafeET.fromstring(
        procurement.items()["cxml-urlencoded"].encode(), forbid_dtd=False
    )
    order = message.find("Message/PunchOutOrderMessage")
    assert order.findtext("BuyerCookie") == COOKIE
    item = order.find("ItemIn")
    assert item.get("quantity") == "2"
    assert item.findtext("ItemID/SupplierPartID") == "NU-2206"
    assert item.findtext("ItemDetail/UnitPrice/Money") == "1310.00"
    context.close()
