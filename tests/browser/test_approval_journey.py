"""Collective buying in a real browser: a buyer over their limit sends the basket for
approval, the approver comments and asks for changes, the buyer changes the quantity
and sends it again, the approver approves and the order is placed with its invoice —
on a desktop in English and on a phone in Russian, with screenshots of each step."""

from decimal import Decimal

import pytest

from accounts.models import CompanyAddress, Role
from invoicing.models import Invoice
from sales.checkout.models import Requisition, RequisitionStatus
from sales.order.models import Order
from tests.cabinet.factories import priced_product
from tests.factories import MembershipFactory
from tests.invoicing.factories import SellerEntityFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TEXTS = {
    "en": {
        "notice": "This order needs approval in your company.",
        "sent": "is sent for approval",
        "changes": "Asked for changes",
        "approved": "Approved: order",
    },
    "ru": {
        "notice": "В вашей компании этот заказ требует согласования.",
        "sent": "отправлена на согласование",
        "changes": "Запрошены изменения",
        "approved": "Согласовано: оформлен заказ",
    },
}


def _page(chromium, live_server, user, *, language, width):
    context = chromium.new_context(viewport={"width": width, "height": 900})
    context.add_cookies(
        [{"name": "django_language", "value": language, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name='login-username']", user.email)
    page.fill("input[name='login-password']", "s3cret-pass!")
    page.locator("button[name='login_submit']").click()
    page.wait_for_url(live_server.url + "/cabinet/")
    return context, page


def _fits(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )


@pytest.mark.parametrize(("language", "width"), [("en", 1366), ("ru", 390)])
def test_requisition_from_checkout_to_order(
    live_server, chromium, artifacts, buyer, company, language, width
):
    SellerEntityFactory()
    CompanyAddress.objects.create(
        company=company, recipient="Ivan Petrov", line1="ul. Lenina, 1", city="Tula"
    )
    membership = buyer.memberships.get()
    membership.spending_limit = Decimal("1000.00")
    membership.save()
    approver = MembershipFactory(company=company, role=Role.APPROVER).user
    product = priced_product(
        title="Circuit breaker C16 1P", article="BA47-C16", price="450.00", stock=50
    )
    texts = TEXTS[language]
    shot = f"approval-{language}-{width}"

    buyer_context, page = _page(
        chromium, live_server, buyer, language=language, width=width
    )
    page.goto(live_server.url + product.get_absolute_url())
    page.locator("#id_quantity").fill("4")
    page.locator("[data-testid='add-to-basket'] button[type='submit']").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/checkout/")
    assert texts["notice"] in page.locator("#approval-needed").inner_text()
    page.screenshot(path=artifacts / f"{shot}-1-checkout.png", full_page=True)
    page.locator("input[name='payment_method'][value='bank_transfer']").check()
    page.locator("#place-order").click()
    page.wait_for_selector("#requisition-summary")
    assert texts["sent"] in page.locator("body").inner_text()
    assert _fits(page)
    page.screenshot(path=artifacts / f"{shot}-2-sent.png", full_page=True)
    requisition = Requisition.objects.get()

    approver_context, other = _page(
        chromium, live_server, approver, language=language, width=width
    )
    other.goto(live_server.url + "/cabinet/approvals/")
    other.locator(f"#row-{requisition.number} a").click()
    other.wait_for_selector("#approve-panel")
    other.fill("#comment-text", "Why four?")
    other.locator("#add-comment").click()
    other.wait_for_selector("#approve-panel")
    other.fill("#changes-text", "Two are enough.")
    other.locator("#ask-changes").click()
    other.wait_for_selector("#requisition-thread")
    assert texts["changes"] in other.locator("#requisition-thread").inner_text()
    other.screenshot(path=artifacts / f"{shot}-3-changes.png", full_page=True)

    page.goto(live_server.url + f"/cabinet/approvals/{requisition.number}/")
    assert "Two are enough." in page.locator("#requisition-thread").inner_text()
    page.locator(".requisition-qty").fill("2")
    page.fill("#id_note", "Two then.")
    assert _fits(page)
    page.screenshot(path=artifacts / f"{shot}-4-edit.png", full_page=True)
    page.locator("#resubmit").click()
    page.wait_for_selector("#requisition-summary")
    assert Requisition.objects.get().status == RequisitionStatus.PENDING

    other.goto(live_server.url + f"/cabinet/approvals/{requisition.number}/")
    other.locator("#approve").click()
    other.wait_for_selector("#requisition-order")
    assert texts["approved"] in other.locator("body").inner_text()
    assert _fits(other)
    other.screenshot(path=artifacts / f"{shot}-5-approved.png", full_page=True)
    approver_context.close()
    buyer_context.close()

    order = Order.objects.get()
    assert order.user == buyer
    assert order.lines.get().quantity == 2
    assert Invoice.objects.filter(order=order).count() == 1
