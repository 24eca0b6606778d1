"""The basket for business buyers: article and the company's own part number per
line, a labelled quantity box, remove and clear without JS, save as a purchase list,
the voucher box only with a voucher offer, and a query budget."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.apps.offer.models import ConditionalOffer
from oscar.apps.voucher.models import Voucher
from oscar.test.factories import ConditionalOfferFactory

from cabinet.models import PurchaseList
from catalog.models import CompanyPartNumber
from sales.basket.models import Basket
from tests.factories import CompanyFactory

pytestmark = pytest.mark.django_db


def _add(client, product, quantity="1"):
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": quantity})


def _page(client):
    return client.get(reverse("basket:summary")).content.decode()


def _lines(html):
    return html.count('data-testid="basket-line"')


def test_line_shows_article_own_part_number_and_labelled_quantity(
    buyer_client, company, make_product
):
    product = make_product("BRG-6203-2RS", stock=(10, 0, 0), min_order_qty=2)
    CompanyPartNumber.objects.create(company=company, product=product, number="OWN-1")
    CompanyPartNumber.objects.create(
        company=CompanyFactory(), product=product, number="ALIEN-9"
    )
    _add(buyer_client, product, "4")

    html = _page(buyer_client)

    assert _lines(html) == 1
    assert "BRG-6203-2RS" in html and "OWN-1" in html
    assert "ALIEN-9" not in html  # another company's number
    qty = re.search(r'<input type="number"[^>]*name="form-0-quantity"[^>]*>', html)
    assert qty and 'min="2"' in qty.group(0) and 'value="4"' in qty.group(0)
    assert '<label class="small mb-0" for="id_form-0-quantity">' in html
    assert 'data-testid="basket-line-price"' in html
    assert "excl. VAT" in html and "incl. VAT" in html
    form = html.split('id="basket_formset"')[1].split("</form>")[0]
    assert 'href="#"' not in form and 'name="remove"' in form
    assert "voucher" not in html.lower()  # no offer, no code box


def test_totals_are_net_vat_gross(buyer_client, make_product):
    _add(buyer_client, make_product("A-1", price="100.00"), "3")
    html = _page(buyer_client)
    net = re.search(r'data-testid="basket-total-net">([^<]+)<', html).group(1)
    vat = re.search(r'data-testid="basket-total-vat">([^<]+)<', html).group(1)
    assert "300" in net and "60" in vat
    assert "360" in html.split('data-testid="basket-total-gross"')[1][:80]
    assert "free" not in html.lower()


def test_remove_button_removes_the_line_without_js(buyer_client, buyer, make_product):
    first, second = make_product("A-1"), make_product("A-2")
    _add(buyer_client, first)
    _add(buyer_client, second)
    basket = Basket.open.get(owner=buyer)
    lines = list(basket.lines.order_by("pk"))
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "remove": "form-1",
    }
    for i, line in enumerate(lines):
        data[f"form-{i}-id"] = line.pk
        data[f"form-{i}-quantity"] = line.quantity
    response = buyer_client.post(reverse("basket:summary"), data)

    assert response.status_code == 302
    assert list(basket.lines.values_list("product_id", flat=True)) == [first.pk]


def test_clear_basket_is_a_post_behind_a_confirmation(
    buyer_client, buyer, make_product
):
    _add(buyer_client, make_product("A-1"))
    _add(buyer_client, make_product("A-2"))
    html = _page(buyer_client)
    assert "<details" in html and reverse("basket:clear") in html

    assert buyer_client.get(reverse("basket:clear")).status_code == 405
    response = buyer_client.post(reverse("basket:clear"))

    assert response.status_code == 302
    assert not Basket.open.get(owner=buyer).lines.exists()


def test_save_as_list_creates_a_company_list(
    buyer_client, buyer, company, make_product
):
    first, second = make_product("A-1"), make_product("A-2")
    _add(buyer_client, first, "3")
    _add(buyer_client, second, "5")
    html = _page(buyer_client)
    form = html.split('data-testid="basket-save-list"')[1].split("</form>")[0]
    products = re.findall(r'name="product" value="(\d+)"', form)
    quantities = re.findall(r'name="quantity" value="(\d+)"', form)

    buyer_client.post(
        reverse("cabinet:list-add-items"),
        {"product": products, "quantity": quantities, "new_list_name": "From basket"},
    )

    plist = PurchaseList.objects.get(name="From basket")
    assert plist.company == company
    assert sorted(plist.lines.values_list("product__article", "quantity")) == [
        ("A-1", 3),
        ("A-2", 5),
    ]


def test_pending_company_sees_no_documents_or_list(client, make_product, company):
    from tests.factories import MembershipFactory

    product = make_product("A-1")
    pending = CompanyFactory(status="pending")
    user = MembershipFactory(company=pending, role="admin").user
    client.force_login(user)
    html = _page(client)
    assert "basket-save-list" not in html and "basket-documents" not in html
    assert product  # a pending company cannot add: the page is the empty basket


def test_voucher_box_only_with_a_voucher_offer(buyer_client, make_product):
    _add(buyer_client, make_product("A-1"))
    assert 'data-testid="voucher-form"' not in _page(buyer_client)

    now = timezone.now()
    offer = ConditionalOfferFactory(offer_type=ConditionalOffer.VOUCHER)
    voucher = Voucher.objects.create(
        name="Spring",
        code="SPRING",
        start_datetime=now - datetime.timedelta(days=1),
        end_datetime=now + datetime.timedelta(days=1),
    )
    voucher.offers.add(offer)

    assert 'data-testid="voucher-form"' in _page(buyer_client)


def test_basket_of_20_lines_in_a_query_budget(
    buyer_client, company, make_product, django_assert_max_num_queries
):
    for i in range(20):
        product = make_product(f"Q-{i:02d}")
        CompanyPartNumber.objects.create(
            company=company, product=product, number=f"O{i}"
        )
        _add(buyer_client, product, "2")
    buyer_client.get(reverse("basket:summary"))  # warm caches (site, flatpages)

    with django_assert_max_num_queries(45):
        html = _page(buyer_client)

    assert _lines(html) == 20 and "O19" in html
