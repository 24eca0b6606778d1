"""The cabinet's quote of the basket and the УПД of a delivery note: who may have
them, what they say, a foreign delivery note is not found."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.cabinet.factories import priced_product
from tests.documents_pdf.conftest import LONG_ARTICLE, LONG_TITLE
from tests.documents_pdf.pdfcheck import (
    cell_overflows,
    cell_text,
    flat,
    layout_text,
    png_page_one,
)
from tests.factories import CompanyFactory, MembershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ru_buyer_client(client, ru_company):
    client.force_login(MembershipFactory(company=ru_company, role="buyer").user)
    client.cookies["django_language"] = "ru"
    return client


def _fill_basket(client):
    long = priced_product(
        article=LONG_ARTICLE, title=LONG_TITLE, price="2342.74", slug="long-bearing"
    )
    short = priced_product(article="SPZ-1250", title="Ремень SPZ 1250", price="815.30")
    for product, quantity in ((long, 12), (short, 130)):  # 100 in stock of short
        response = client.post(
            reverse("cabinet:basket-add"),
            {"product": product.pk, "quantity": quantity},
        )
        assert response.status_code == 302


def test_the_quote_of_the_basket_at_the_buyers_prices(
    ru_buyer_client, seller, settings
):
    settings.SHOP_QUOTE_VALID_DAYS = 7
    _fill_basket(ru_buyer_client)

    response = ru_buyer_client.get(reverse("cabinet:basket-quote"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    text = flat(layout_text(data))
    today = timezone.localdate()
    assert "Коммерческое предложение № Q-" in text
    assert f"Действительно до: {(today + timedelta(days=7)):%d.%m.%Y}" in text
    assert "Поставщик: ООО «Промснаб»" in text
    assert "Покупатель: ООО «Механика Сервис», ИНН 7736207543" in text
    # 12 × 2 342,74 + 20 % VAT; 130 × 815,30 + 20 %
    # the strategy's prices: VAT on the unit price (2 811,29 × 12), as the basket
    assert "12 шт 2 342,74 20% 33 735,48" in text
    assert "130 шт 815,30 20% 127 186,80" in text
    assert "Всего с НДС: 160 922,28" in text
    assert "Всего наименований 2, на сумму 160 922,28 RUB" in text
    assert "Сто шестьдесят тысяч девятьсот двадцать два рубля 28 копеек" in text
    # what ships now and what later, per line (the stock rule's promise)
    assert cell_text(data, "В", joiner=" ") == "В наличии: все 12 отгрузим сейчас"
    assert cell_text(data, "100", joiner=" ").startswith(
        "100 в наличии сейчас, остальные (30) через"
    )
    assert cell_overflows(data)[0] == []
    png_page_one(data, "quote")


def test_an_empty_basket_is_sent_back_with_a_message(ru_buyer_client, seller):
    response = ru_buyer_client.get(reverse("cabinet:basket-quote"))

    assert response.status_code == 302
    assert response["Location"] == reverse("basket:summary")
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Корзина пуста."]


def test_a_member_who_may_not_order_gets_no_quote(client, ru_company, seller):
    client.force_login(MembershipFactory(company=ru_company, role="accountant").user)

    response = client.get(reverse("cabinet:basket-quote"))

    assert response.status_code == 403


def test_the_upd_of_an_own_delivery_note_and_not_of_another(shipped, client):
    own = MembershipFactory(company=shipped.company, role="accountant").user
    stranger = MembershipFactory(company=CompanyFactory(), role="admin").user
    url = reverse("cabinet:upd-pdf", args=[shipped.pk])
    assert url == f"/cabinet/invoices/delivery-notes/{shipped.pk}/upd/"

    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.force_login(own)
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = flat(layout_text(response.content))
    assert "Универсальный" in text and "передаточный документ" in text
