"""Russian on the pages a buyer and a staff member use every day: stock, the basket
message, order statuses, the home title, the dashboard header and the account
breadcrumb ("Account" is the user's account there, not an invoice's account number)."""

import io
import re

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from catalog.models import Product
from sales.order.models import Order

BUYER = "buyer@stroymontazh.demo"
SUPERUSER = "admin@demo.local"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--products", "40", "--seed", "7", stdout=io.StringIO())


@pytest.fixture
def ru(client):
    client.cookies["django_language"] = "ru"
    return client


def _text(response) -> str:
    soup = BeautifulSoup(response.content, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    return " ".join(soup.get_text(" ").split())


def _in_stock_product() -> Product:
    for product in Product.objects.filter(
        is_public=True, structure="standalone"
    ).order_by("id"):
        record = product.stockrecords.first()
        if record and (record.num_in_stock or 0) - (record.num_allocated or 0) > 0:
            return product
    raise AssertionError("the demo has no product in stock")


def test_home_title_is_russian(ru, demo):
    title = BeautifulSoup(ru.get("/ru/").content, "html.parser").title.string
    assert "Промышленные комплектующие" in title
    assert not re.search(r"Industrial|supplies", title)


def test_stock_and_basket_total_are_russian(ru, demo):
    ru.force_login(User.objects.get(email=BUYER))
    product = _in_stock_product()
    response = ru.post(
        reverse("basket:add", args=[product.pk]), {"quantity": 1}, follow=True
    )
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "Сумма корзины теперь" in messages
    assert "total is now" not in messages
    page = _text(ru.get(reverse("basket:summary")))
    assert re.search(r"В наличии \(доступно \d+\)", page)
    assert "available)" not in page


def test_order_status_pending_is_russian_in_the_cabinet(ru, demo):
    buyer = User.objects.get(email=BUYER)
    order = Order.objects.filter(user=buyer, status="Pending").first()
    assert order is not None, "the demo has a pending order of the buyer"
    ru.force_login(buyer)
    page = _text(ru.get(reverse("cabinet:order-list")))
    assert "Принят" in page
    assert not re.search(r"\bPending\b", page)


def test_checkout_without_approval_shows_no_internal_verdict(ru, demo):
    ru.force_login(User.objects.get(email=BUYER))
    ru.post(reverse("basket:add", args=[_in_stock_product().pk]), {"quantity": 1})
    response = ru.get(reverse("checkout:index"), follow=True)
    assert response.status_code == 200
    assert "Verdict(" not in response.content.decode()


def test_account_is_the_user_account_not_the_invoice_number(ru, demo):
    with translation.override("ru"):
        assert translation.gettext("Account") == "Учётная запись"
        assert translation.pgettext("document", "Account") == "Сч. №"
    ru.force_login(User.objects.get(email=SUPERUSER))
    header = BeautifulSoup(ru.get("/dashboard/").content, "html.parser").select_one(
        "nav, header"
    )
    text = " ".join(header.get_text(" ").split())
    assert "Учётная запись" in text
    assert "Сч. №" not in text
    ru.force_login(User.objects.get(email=BUYER))
    profile = ru.get(reverse("customer:profile-view"), follow=True)
    assert profile.status_code == 200
    assert "Сч. №" not in profile.content.decode()


def test_dashboard_strings_we_use_are_russian(ru, demo):
    ru.force_login(User.objects.get(email=SUPERUSER))
    page = _text(ru.get(reverse("dashboard:catalogue-product-list")))
    for english in ("Make products public", "Update product prices", "choose action"):
        assert english not in page
    assert "Опубликовать товары" in page
    assert "выберите действие" in page
    assert re.search(r"Страница 1 из \d+", page)
