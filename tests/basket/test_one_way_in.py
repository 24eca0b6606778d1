"""Every door into the basket goes through `sales.basket.services`: MOQ and step are
fitted and told, bad quantities are refused and change nothing, one line per
product, and only members of an approved company who may order get in."""

import json

import pytest
from django.urls import reverse

from catalog.models import CrossReference
from sales.basket.models import Basket, Line
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _lines(user):
    return list(
        Line.objects.filter(basket__owner=user, basket__status=Basket.OPEN)
        .order_by("pk")
        .values_list("product__article", "quantity")
    )


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_product_page_add_below_moq_and_off_step_is_fitted_and_told(
    buyer_client, buyer, make_product
):
    bolt = make_product("BOLT-M8", min_order_qty=10, order_step=5)

    response = buyer_client.post(
        reverse("basket:add", args=[bolt.pk]), {"quantity": "3"}, follow=True
    )

    assert _lines(buyer) == [("BOLT-M8", 10)]
    assert any("minimum order quantity 10" in m for m in _messages(response))
    buyer_client.post(reverse("basket:add", args=[bolt.pk]), {"quantity": "7"})
    # 10 + 7 = 17 is off the step of 5: rounded up to 20, never silently accepted
    assert _lines(buyer) == [("BOLT-M8", 20)]


@pytest.mark.parametrize(
    "quantity", ["0", "-4", "NaN", "1e9999", "abc", "", "5\x00", "Infinity", "2e6"]
)
def test_bad_quantities_through_basket_add_are_refused_and_change_nothing(
    buyer_client, buyer, make_product, quantity
):
    product = make_product("BRG-6203")

    response = buyer_client.post(
        reverse("basket:add", args=[product.pk]), {"quantity": quantity}, follow=True
    )

    assert response.status_code == 200
    assert _lines(buyer) == []
    assert any("Not added: BRG-6203" in m for m in _messages(response))


def test_forged_or_hidden_product_id_is_not_found(buyer_client, buyer, make_product):
    hidden = make_product("HID-1", is_public=False)

    assert (
        buyer_client.post(
            reverse("basket:add", args=[hidden.pk]), {"quantity": "1"}
        ).status_code
        == 404
    )
    assert (
        buyer_client.post(
            reverse("basket:add", args=[999_999]), {"quantity": "1"}
        ).status_code
        == 404
    )
    assert _lines(buyer) == []


def test_pending_company_visitor_and_accountant_cannot_add(client, make_product):
    product = make_product("BRG-6204")
    pending = MembershipFactory(company=CompanyFactory(status="pending")).user
    accountant = MembershipFactory(role="accountant").user
    url = reverse("basket:add", args=[product.pk])

    for user in (pending, accountant, None):
        client.logout()
        if user is not None:
            client.force_login(user)
        client.post(url, {"quantity": "1"})

    assert not Line.objects.exists()


def test_the_same_product_reached_by_two_numbers_is_one_line(
    buyer_client, buyer, make_product
):
    product = make_product("6205-2RS-SKF")
    CrossReference.objects.create(product=product, number="180205")

    preview = buyer_client.post(
        reverse("cabinet:quick-order"), {"lines": "6205-2RS-SKF 2\n180205 3\n"}
    )
    plan = preview.context["plan"]
    buyer_client.post(reverse("cabinet:quick-order-add"), {"plan": plan})
    buyer_client.post(reverse("basket:add", args=[product.pk]), {"quantity": "1"})

    assert _lines(buyer) == [("6205-2RS-SKF", 6)]


def test_basket_page_quantity_change_is_fitted_and_removal_works(
    buyer_client, buyer, make_product
):
    bolt = make_product("BOLT-M10", min_order_qty=10, order_step=5)
    nut = make_product("NUT-M10")
    buyer_client.post(reverse("basket:add", args=[bolt.pk]), {"quantity": "10"})
    buyer_client.post(reverse("basket:add", args=[nut.pk]), {"quantity": "2"})
    lines = Line.objects.filter(basket__owner=buyer).order_by("pk")
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(lines[0].pk),
        "form-0-quantity": "12",
        "form-1-id": str(lines[1].pk),
        "form-1-quantity": "2",
        "form-1-DELETE": "on",
    }

    response = buyer_client.post(reverse("basket:summary"), data, follow=True)

    assert _lines(buyer) == [("BOLT-M10", 15)]
    assert any("multiple of 5" in m for m in _messages(response))


def test_basket_page_change_by_a_pending_company_is_refused(client, make_product):
    product = make_product("NUT-M12")
    membership = MembershipFactory()
    client.force_login(membership.user)
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": "2"})
    line = Line.objects.get()
    membership.company.status = "pending"
    membership.company.save()
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "200",
    }

    client.post(reverse("basket:summary"), data)

    assert Line.objects.get().quantity == 2


def test_product_page_quantity_input_carries_min_and_step(buyer_client, make_product):
    bolt = make_product("BOLT-M6", min_order_qty=12, order_step=5)

    html = buyer_client.get(bolt.get_absolute_url()).content.decode()

    # the smallest orderable quantity: 12 rounded up to the step of 5
    assert 'name="quantity" value="15" min="15" step="5"' in html


def test_visitors_see_log_in_to_order_instead_of_a_basket_form(client, make_product):
    product = make_product("BRG-6206")

    html = client.get(product.get_absolute_url()).content.decode()

    assert "Log in to order" in html
    assert 'data-testid="add-to-basket"' not in html


def _api_post(client, items):
    return client.post(
        reverse("api:cabinet-basket-lines"),
        json.dumps({"items": items}),
        content_type="application/json",
    )


def test_api_fits_moq_and_tells_what_ships_later(buyer_client, buyer, make_product):
    bolt = make_product("BOLT-M16", stock=(30, 0, 0), min_order_qty=10, order_step=10)

    response = _api_post(buyer_client, [{"article": "bolt m16", "quantity": 45}])

    assert response.status_code == 200
    (added,) = response.json()["added"]
    assert (added["quantity"], added["now"], added["later"]) == (50, 30, 20)
    assert "rounded up to a multiple of 10 (order step)" in added["notes"]
    assert _lines(buyer) == [("BOLT-M16", 50)]
    lines = buyer_client.get(reverse("api:cabinet-basket")).json()["lines"]
    assert [(x["product"], x["now"], x["later"]) for x in lines] == [(bolt.pk, 30, 20)]


@pytest.mark.parametrize("quantity", [-1, 0, "NaN", "1e9999", True, None])
def test_api_refuses_bad_quantities(buyer_client, buyer, make_product, quantity):
    product = make_product("BRG-6207")

    response = _api_post(buyer_client, [{"product": product.pk, "quantity": quantity}])

    assert response.status_code == 400
    assert response.json()["refused"][0]["article"] == "BRG-6207"
    assert _lines(buyer) == []


def test_api_refuses_bad_bodies_and_foreign_ids(buyer_client, buyer, make_product):
    hidden = make_product("HID-2", is_public=False)

    for body in ("null", "[]", '{"items": "x"}', '{"items": [{"product": 1.5}]}'):
        response = buyer_client.post(
            reverse("api:cabinet-basket-lines"), body, content_type="application/json"
        )
        assert response.status_code == 400
    assert _api_post(buyer_client, [{"product": hidden.pk}]).status_code == 400
    assert _lines(buyer) == []


def test_api_pending_company_is_refused(client, make_product):
    product = make_product("BRG-6208")
    pending = MembershipFactory(company=CompanyFactory(status="pending")).user
    client.force_login(pending)

    response = _api_post(client, [{"product": product.pk, "quantity": 1}])

    assert response.status_code == 403
    assert "not approved" in response.json()["detail"]
    assert not Line.objects.exists()
