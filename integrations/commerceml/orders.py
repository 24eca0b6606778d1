"""Orders for 1C (`type=sale`): the orders not exported yet as CommerceML 2.10
documents ("Заказ товара"), marking the ones 1C confirmed taking, and reading
what 1C sends back. Amounts include VAT, as the orders show them."""

from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, tostring

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.money import money_quantize
from integrations.commerceml.models import ExchangeItem, OrderExport
from integrations.commerceml.parsing import text
from sales.order.models import Order
from sales.order.statuses import order_status_label

SCHEMA_VERSION = "2.10"
ORDERS_PER_QUERY = 500  # 1C asks again on its next exchange
# The unit as 1C's БазоваяЕдиница: OKEI code, full name, short name.
UNITS = {
    "pcs": ("796", "Штука", "шт"),
    "m": ("006", "Метр", "м"),
    "kg": ("166", "Килограмм", "кг"),
    "l": ("112", "Литр", "л"),
    "set": ("839", "Комплект", "компл"),
    "pack": ("778", "Упаковка", "упак"),
    "pair": ("715", "Пара", "пар"),
    "roll": ("736", "Рулон", "рул"),
}


def orders_query(*, limit: int = ORDERS_PER_QUERY) -> list[Order]:
    """The orders 1C has not taken yet, oldest first, recorded as sent: the next
    `mode=success` marks exactly these."""
    with transaction.atomic():
        orders = list(
            Order.objects.filter(
                Q(commerceml_export__isnull=True)
                | Q(commerceml_export__exported_at__isnull=True)
            )
            .select_related("company", "user")
            .prefetch_related("lines__product")
            .order_by("pk")[:limit]
        )
        now = timezone.now()
        ids = [order.pk for order in orders]
        OrderExport.objects.filter(exported_at__isnull=True).exclude(
            order_id__in=ids
        ).delete()  # sent by an earlier query that 1C never confirmed
        sent = OrderExport.objects.filter(order_id__in=ids)
        sent.update(queried_at=now)
        have = set(sent.values_list("order_id", flat=True))
        OrderExport.objects.bulk_create(
            [OrderExport(order_id=pk, queried_at=now) for pk in ids if pk not in have]
        )
    return orders


def orders_mark_exported() -> int:
    """1C took the orders of the last query: they are not sent again."""
    return OrderExport.objects.filter(exported_at__isnull=True).update(
        exported_at=timezone.now()
    )


def _money(value) -> str:
    return str(money_quantize(Decimal(value or 0)))


def _add(parent: Element, tag: str, value="") -> Element:
    element = SubElement(parent, tag)
    if value != "":
        element.text = str(value)
    return element


def _requisites(parent: Element, values: list[tuple[str, str]]) -> None:
    group = _add(parent, "ЗначенияРеквизитов")
    for name, value in values:
        requisite = _add(group, "ЗначениеРеквизита")
        _add(requisite, "Наименование", name)
        _add(requisite, "Значение", value)


def _counterparty(document: Element, order: Order) -> None:
    parties = _add(document, "Контрагенты")
    party = _add(parties, "Контрагент")
    company = order.company
    if company is not None:
        _add(party, "Ид", f"company-{company.pk}")
        _add(party, "Наименование", company.name)
        _add(party, "ПолноеНаименование", company.legal_name or company.name)
        _add(party, "ОфициальноеНаименование", company.legal_name or company.name)
        if company.tax_id:
            _add(party, "ИНН", company.tax_id)
        if company.kpp:
            _add(party, "КПП", company.kpp)
        if company.legal_address:
            address = _add(party, "ЮридическийАдрес")
            _add(address, "Представление", company.legal_address)
    else:
        user = order.user
        name = (user.get_full_name() or user.email) if user else order.email
        _add(party, "Ид", f"user-{order.user_id}" if order.user_id else order.number)
        _add(party, "Наименование", name)
        _add(party, "ПолноеНаименование", name)
    _add(party, "Роль", "Покупатель")


def _unit(parent: Element, unit: str) -> None:
    code, full, short = UNITS.get(unit, UNITS["pcs"])
    element = _add(parent, "БазоваяЕдиница", short)
    element.set("Код", code)
    element.set("НаименованиеПолное", full)


def _lines(document: Element, order: Order, ids: dict[int, str]) -> None:
    goods = _add(document, "Товары")
    for line in sorted(order.lines.all(), key=lambda line: line.pk):
        product = line.product
        article = (product.article if product else "") or line.partner_sku
        item = _add(goods, "Товар")
        _add(item, "Ид", ids.get(line.product_id) or article)
        _add(item, "Артикул", article)
        _add(item, "Наименование", line.title)
        _unit(item, product.unit if product else "pcs")
        _add(item, "ЦенаЗаЕдиницу", _money(line.unit_price_incl_tax))
        _add(item, "Количество", line.quantity)
        _add(item, "Сумма", _money(line.line_price_incl_tax))
        if product is not None and product.vat_rate is not None:
            rates = _add(item, "СтавкиНалогов")
            rate = _add(rates, "СтавкаНалога")
            _add(rate, "Наименование", "НДС")
            _add(rate, "Ставка", f"{product.vat_rate.normalize():f}")
        _requisites(item, [("ВидНоменклатуры", "Товар"), ("ТипНоменклатуры", "Товар")])
    if order.shipping_incl_tax:
        item = _add(goods, "Товар")
        _add(item, "Ид", "ORDER_DELIVERY")
        _add(item, "Наименование", "Доставка заказа")
        _unit(item, "pcs")
        _add(item, "ЦенаЗаЕдиницу", _money(order.shipping_incl_tax))
        _add(item, "Количество", 1)
        _add(item, "Сумма", _money(order.shipping_incl_tax))
        _requisites(
            item, [("ВидНоменклатуры", "Услуга"), ("ТипНоменклатуры", "Услуга")]
        )


def _document(root: Element, order: Order, ids: dict[int, str]) -> None:
    placed = timezone.localtime(order.date_placed)
    document = _add(root, "Документ")
    _add(document, "Ид", order.number)
    _add(document, "Номер", order.number)
    _add(document, "Дата", placed.strftime("%Y-%m-%d"))
    _add(document, "Время", placed.strftime("%H:%M:%S"))
    _add(document, "ХозОперация", "Заказ товара")
    _add(document, "Роль", "Продавец")
    _add(document, "Валюта", order.currency)
    _add(document, "Курс", "1")
    _add(document, "Сумма", _money(order.total_incl_tax))
    _counterparty(document, order)
    comment = " ".join(
        filter(
            None, [f"PO {order.po_number}" if order.po_number else "", order.comment]
        )
    )
    if comment:
        _add(document, "Комментарий", comment)
    vat = Decimal(order.total_incl_tax or 0) - Decimal(order.total_excl_tax or 0)
    taxes = _add(document, "Налоги")
    tax = _add(taxes, "Налог")
    _add(tax, "Наименование", "НДС")
    _add(tax, "УчтеноВСумме", "true")
    _add(tax, "Сумма", _money(vat))
    _lines(document, order, ids)
    with translation.override("ru"):
        status = order_status_label(order.status)
    _requisites(
        document,
        [
            ("Статус заказа", status),
            ("Отменен", "true" if order.status == "Cancelled" else "false"),
            ("Номер по данным клиента", order.po_number or ""),
            ("Дата изменения статуса", placed.strftime("%Y-%m-%dT%H:%M:%S")),
        ],
    )


def orders_document(*, orders: list[Order]) -> bytes:
    """The orders as one CommerceML 2.10 document, UTF-8 with its declaration."""
    root = Element(
        "КоммерческаяИнформация",
        {
            "ВерсияСхемы": SCHEMA_VERSION,
            "ДатаФормирования": timezone.localtime().strftime("%Y-%m-%dT%H:%M:%S"),
        },
    )
    product_ids = {line.product_id for o in orders for line in o.lines.all()}
    ids = {
        item.product_id: item.external_id
        for item in ExchangeItem.objects.filter(product_id__in=product_ids).order_by(
            "pk"
        )
    }
    for order in orders:
        _document(root, order, ids)
    body = tostring(root, encoding="unicode")
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}'.encode()


@dataclass(frozen=True)
class SaleFileResult:
    documents: int
    known: int

    def summary(self) -> str:
        return _(
            "Documents read: %(documents)s, of them orders of the shop: %(known)s. "
            "Order statuses are changed in the shop's dashboard."
        ) % {"documents": self.documents, "known": self.known}


def sale_file_read(*, root: Element) -> SaleFileResult:
    """What 1C sent back about orders: read and counted, nothing changed (statuses
    move through the dashboard, where shipping issues the delivery note)."""
    numbers = [text(d, "Номер") for d in root.findall("Документ")]
    known = Order.objects.filter(number__in=[n for n in numbers if n]).count()
    return SaleFileResult(documents=len(numbers), known=known)
