"""What the page says is what checkout does: a line takes stock warehouse by
warehouse in priority order, the rest is a back-order with an expected date; every
place that shows a quantity says early when not all of it ships now."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog.partner.availability import working_days_after
from catalog.partner.models import StockRecord
from invoicing.models import Invoice
from invoicing.services.documents import invoice_pdf_bytes
from sales.basket.models import Basket
from sales.order.models import LineAllocation, Order
from tests.checkout.test_checkout import form_data
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _checkout(client, user):
    basket = Basket.open.get(owner=user)
    data = form_data(basket, payment_method="bank_transfer")
    return client.post("/checkout/", data, follow=True)


def test_working_days_skip_weekends():
    friday = date(2026, 12, 4)
    assert working_days_after(friday, 1) == date(2026, 12, 7)
    assert working_days_after(friday, 5) == date(2026, 12, 11)
    assert working_days_after(friday, 0) == friday


def test_stock_summed_over_warehouses_is_what_checkout_accepts(
    buyer_client, buyer, make_product, seller
):
    product = make_product("BRG-6203-2RS-FAG", stock=(4, 2, 48))
    page = buyer_client.get(product.get_absolute_url()).content.decode()
    assert "In stock: 54" in page

    buyer_client.post(reverse("basket:add", args=[product.pk]), {"quantity": "60"})
    response = _checkout(buyer_client, buyer)

    order = Order.objects.get()
    parts = [
        (a.partner.code, a.quantity, a.is_backorder)
        for a in LineAllocation.objects.filter(line__order=order)
    ]
    # Moscow first, then Yekaterinburg, then the supplier; 6 more are back-ordered
    # at the warehouse that gets them soonest (the supplier: 0 + 5–7 days).
    assert parts == [
        ("msk", 4, False),
        ("ekb", 2, False),
        ("sup", 48, False),
        ("sup", 6, True),
    ]
    records = StockRecord.objects.filter(product=product).order_by("partner__priority")
    assert [(r.num_in_stock, r.num_allocated) for r in records] == [
        (4, 4),
        (2, 2),
        (48, 48),
    ]
    expected = working_days_after(timezone.localdate(), 7)
    body = response.content.decode()
    assert "54 ship now, 6 back-ordered" in body
    assert expected.strftime("%m/%d/%Y") in body


def test_an_item_shown_as_to_order_can_be_ordered_as_a_back_order(
    buyer_client, buyer, make_product, seller
):
    product = make_product("BRG-6003-SKF", stock=(0, 0, None))
    page = buyer_client.get(product.get_absolute_url()).content.decode()
    # the quickest restock: Moscow 10 + 0–1 and Yekaterinburg 8 + 2–3 days tie at
    # 11 days at most; Moscow ships first (priority)
    assert "10–11 days" in page

    buyer_client.post(reverse("basket:add", args=[product.pk]), {"quantity": "5"})
    _checkout(buyer_client, buyer)

    (part,) = LineAllocation.objects.filter(line__order__isnull=False)
    assert (part.partner.code, part.quantity, part.is_backorder) == ("msk", 5, True)
    assert part.expected_date == working_days_after(timezone.localdate(), 11)


def test_order_detail_and_invoice_pdf_say_what_ships_later(
    buyer_client, buyer, make_product, seller, settings
):
    product = make_product("BRG-6305", stock=(3, 0, 0))
    buyer_client.post(reverse("basket:add", args=[product.pk]), {"quantity": "10"})
    _checkout(buyer_client, buyer)
    order = Order.objects.get()

    detail = buyer_client.get(
        reverse("cabinet:order-detail", args=[order.number])
    ).content.decode()
    pdf = invoice_pdf_bytes(invoice=Invoice.objects.get(order=order))

    assert "3 from stock, Moscow" in detail
    assert "7 back-ordered, expected by" in detail
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    expected = working_days_after(timezone.localdate(), 7).strftime("%d.%m.%Y")
    assert f"3 now, 7 expected by {expected}" in " ".join(text.split())


def test_quick_order_says_how_much_is_available_now(buyer_client, make_product):
    make_product("BRG-6003-SKF", stock=(64, 0, 0))

    response = buyer_client.post(
        reverse("cabinet:quick-order"), {"lines": "BRG-6003-SKF 1000\n"}
    )

    html = response.content.decode()
    assert "64 available now, the rest (936) in 5–7 days" in html


def test_basket_and_checkout_pages_say_what_ships_later(
    buyer_client, buyer, make_product, seller
):
    product = make_product("BRG-6310", stock=(5, 0, 0))
    response = buyer_client.post(
        reverse("basket:add", args=[product.pk]), {"quantity": "8"}, follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    label = "5 available now, the rest (3) in 5–7 days"

    assert any(label in m for m in messages)
    assert label in buyer_client.get(reverse("basket:summary")).content.decode()
    assert label in buyer_client.get("/checkout/").content.decode()


def test_purchase_list_and_reorder_say_what_ships_later(
    buyer_client, buyer, company, make_product
):
    from cabinet.models import PurchaseList, PurchaseListLine
    from tests.cabinet.factories import order_make

    product = make_product("BRG-6312", stock=(2, 0, 0))
    purchase_list = PurchaseList.objects.create(company=company, name="Monthly")
    PurchaseListLine.objects.create(
        purchase_list=purchase_list, product=product, quantity=12
    )
    label = "2 available now, the rest (10) in 5–7 days"

    detail = buyer_client.get(reverse("cabinet:list-detail", args=[purchase_list.pk]))
    assert label in detail.content.decode()

    order = order_make(company=company, user=buyer, lines=[(product, 12, "100.00")])
    result = buyer_client.post(reverse("cabinet:order-reorder", args=[order.number]))
    assert label in result.content.decode()


def test_a_member_of_another_company_never_sees_the_allocations(
    client, buyer, buyer_client, make_product, seller
):
    product = make_product("BRG-6314", stock=(1, 0, 0))
    buyer_client.post(reverse("basket:add", args=[product.pk]), {"quantity": "4"})
    _checkout(buyer_client, buyer)
    order = Order.objects.get()
    client.force_login(MembershipFactory().user)

    response = client.get(reverse("cabinet:order-detail", args=[order.number]))
    assert response.status_code == 404
