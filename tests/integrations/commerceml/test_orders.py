"""1C takes the shop's orders (`type=sale`): a query answers every order not taken
yet as a CommerceML 2.10 document; `mode=success` marks them taken, so the next
query holds only newer ones; what 1C sends back is read and changes nothing."""

import base64
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from catalog.models import Product
from integrations.models import ExchangeLog, OrderExport
from sales.order.statuses import order_status_label
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory
from tests.integrations.commerceml.client import fixture
from tests.integrations.commerceml.factories import PASSWORD
from tests.integrations.commerceml.test_refusals import BILLION_LAUGHS

pytestmark = pytest.mark.django_db

BEARING = "a1c3e5f0-7d21-11e9-80d3-00155d0a1f01"


def _text(element, path):
    found = element.find(path)
    return found.text if found is not None else None


def _requisites(element) -> dict[str, str]:
    return {
        _text(r, "Наименование"): _text(r, "Значение") or ""
        for r in element.findall("ЗначенияРеквизитов/ЗначениеРеквизита")
    }


@pytest.fixture
def placed(one_c):
    """The catalogue from 1C, and an order of a company for one of its products
    and one product the shop has on its own."""
    one_c.send_catalog(
        ("import.xml", fixture("import.xml")), ("offers.xml", fixture("offers.xml"))
    )
    company = CompanyFactory(
        name="Северсталь-Метиз", legal_name='ООО "Северсталь-Метиз"',
        tax_id="7707083893", kpp="770701001",
    )  # fmt: skip
    buyer = MembershipFactory(company=company, role="buyer").user
    bearing = Product.objects.get(article="6205-2RS")
    own = priced_product(article="HOOK-1", title="Хомут червячный 16-25 мм")
    return order_make(
        company=company,
        user=buyer,
        lines=[(bearing, 3, "412.50"), (own, 2, "100.00")],
        po_number="PO-77",
    )


def test_query_returns_the_order_and_success_marks_it_taken(one_c, placed):
    assert one_c.checkauth("sale").ok
    assert one_c.init("sale") == {"zip": "no", "file_limit": str(10 * 1024 * 1024)}

    root = one_c.orders()

    assert root.tag == "КоммерческаяИнформация"
    assert root.get("ВерсияСхемы") == "2.10"
    [document] = root.findall("Документ")
    placed_at = timezone.localtime(placed.date_placed)
    assert {
        tag: _text(document, tag)
        for tag in ("Номер", "Дата", "Время", "ХозОперация", "Роль", "Валюта", "Курс", "Сумма")
    } == {
        "Номер": placed.number,
        "Дата": placed_at.strftime("%Y-%m-%d"),
        "Время": placed_at.strftime("%H:%M:%S"),
        "ХозОперация": "Заказ товара",
        "Роль": "Продавец",
        "Валюта": "RUB",
        "Курс": "1",
        "Сумма": "1725.00",  # (3 × 412.50 + 2 × 100.00) × 1.2
    }  # fmt: skip
    [party] = document.findall("Контрагенты/Контрагент")
    assert (
        _text(party, "Наименование"),
        _text(party, "ОфициальноеНаименование"),
        _text(party, "ИНН"),
        _text(party, "КПП"),
        _text(party, "Роль"),
    ) == (
        "Северсталь-Метиз",
        'ООО "Северсталь-Метиз"',
        "7707083893",
        "770701001",
        "Покупатель",
    )
    lines = [
        tuple(_text(item, tag) for tag in ("Ид", "Артикул", "Наименование", "ЦенаЗаЕдиницу", "Количество", "Сумма"))
        for item in document.findall("Товары/Товар")
    ]  # fmt: skip
    assert lines == [
        (BEARING, "6205-2RS", "Подшипник шариковый радиальный 6205-2RS", "495.00", "3", "1485.00"),
        ("HOOK-1", "HOOK-1", "Хомут червячный 16-25 мм", "120.00", "2", "240.00"),
    ]  # fmt: skip
    assert sum(Decimal(line[5]) for line in lines) == Decimal(_text(document, "Сумма"))
    assert _text(document, "Налоги/Налог/Сумма") == "287.50"
    unit = document.find("Товары/Товар/БазоваяЕдиница")
    assert (unit.text, unit.get("Код")) == ("шт", "796")
    with translation.override("ru"):
        status = order_status_label("Pending")
    assert _requisites(document)["Статус заказа"] == status == "Принят"
    assert _requisites(document)["Номер по данным клиента"] == "PO-77"

    # 1C did not confirm: the next query sends the order again.
    assert len(one_c.orders().findall("Документ")) == 1
    reply = one_c.call("sale", "success")
    assert reply.ok and reply.reason == "Orders taken by 1C: 1"
    assert OrderExport.objects.get().order == placed
    assert one_c.orders().findall("Документ") == []

    # A new order: only it.
    newer = order_make(
        company=placed.company,
        user=placed.user,
        lines=[(Product.objects.get(article="6206-ZZ"), 1, "1030.00")],
    )
    [document] = one_c.orders().findall("Документ")
    assert _text(document, "Номер") == newer.number
    assert one_c.call("sale", "success").reason == "Orders taken by 1C: 1"
    assert one_c.orders().findall("Документ") == []
    steps = ExchangeLog.objects.filter(kind="sale").order_by("pk")
    assert list(steps.values_list("mode", flat=True)) == [
        "checkauth", "init", "query", "query", "success", "query", "query",
        "success", "query",
    ]  # fmt: skip
    assert all(steps.values_list("ok", flat=True))


def test_an_order_without_a_company_names_the_person(one_c, placed):
    placed.company = None
    placed.save()
    assert one_c.checkauth("sale").ok
    [party] = one_c.orders().findall("Документ/Контрагенты/Контрагент")
    assert _text(party, "Наименование") == placed.user.get_full_name()
    assert _text(party, "ИНН") is None


def test_orders_from_1c_are_read_and_change_nothing(one_c, placed):
    assert one_c.checkauth("sale").ok
    one_c.init("sale")
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<КоммерческаяИнформация ВерсияСхемы="2.10"><Документ>'
        f"<Номер>{placed.number}</Номер><ХозОперация>Заказ товара</ХозОперация>"
        "<ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Статус заказа</Наименование>"
        "<Значение>Отгружен</Значение></ЗначениеРеквизита></ЗначенияРеквизитов>"
        "</Документ><Документ><Номер>1C-000042</Номер></Документ></КоммерческаяИнформация>"
    ).encode()
    reply = one_c.call("sale", "file", body=document, filename="orders.xml")
    assert reply.ok, reply
    assert reply.reason.startswith("Documents read: 2, of them orders of the shop: 1.")
    placed.refresh_from_db()
    assert placed.status == "Pending"

    reply = one_c.call("sale", "file", body=BILLION_LAUGHS, filename="bomb.xml")
    assert reply.failed
    assert (
        reply.reason
        == "The file declares a DTD (<!DOCTYPE>), which the exchange refuses."
    )
    assert not OrderExport.objects.filter(exported_at__isnull=False).exists()


def test_the_sale_exchange_needs_the_exchange_user(placed):
    client = Client()  # not 1C's
    response = client.get("/exchange/1c/", {"type": "sale", "mode": "query"})
    assert response.status_code == 401
    assert not OrderExport.objects.exists()
    # The company's own buyer, with Basic credentials: not an exchange user.
    token = base64.b64encode(f"{placed.user.email}:{PASSWORD}".encode()).decode()
    headers = {"HTTP_AUTHORIZATION": f"Basic {token}"}
    for mode in ("query", "success"):
        response = client.get(
            "/exchange/1c/", {"type": "sale", "mode": mode}, **headers
        )
        assert (response.status_code, response.content.decode()) == (
            403,
            "failure\nThis user may not exchange data with 1C.\n",
        )
    assert not OrderExport.objects.exists()


def test_a_query_costs_the_same_for_many_orders(
    one_c, placed, django_assert_max_num_queries
):
    assert one_c.checkauth("sale").ok
    with CaptureQueriesContext(connection) as one:
        assert len(one_c.orders().findall("Документ")) == 1
    bearing = Product.objects.get(article="6205-2RS")
    for _ in range(10):
        order_make(company=placed.company, user=placed.user, lines=[(bearing, 1, "1")])
    with django_assert_max_num_queries(len(one)):
        assert len(one_c.orders().findall("Документ")) == 11
    assert len(one) <= 16
