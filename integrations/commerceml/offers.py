"""offers.xml: the price type to import (`COMMERCEML_PRICE_TYPE`, its name or
`Ид`, or the file's first `ТипЦены`), each offer's price and stock (a product's
characteristics `<product>#<characteristic>` add their stock; 1C's negative or
fractional stock becomes whole units, at least none), applied to the items
import.xml described. An offer for an unknown `Ид` is reported, not fatal; a
price in another currency than the list price refuses the file."""

import math
from dataclasses import dataclass
from decimal import Decimal
from xml.etree.ElementTree import Element

from django.conf import settings
from django.utils.translation import gettext as _

from catalog.articles import article_normalize
from catalog.pricing.models import PriceList
from integrations.commerceml.parsing import CommerceMLError, decimal_read, text
from integrations.commerceml.rows import (
    Entry,
    ExchangeResult,
    catalog_current,
    items_by_id,
    rows_import,
)

CURRENCY_ALIASES = {"руб": "RUB", "руб.": "RUB", "rur": "RUB", "643": "RUB", "₽": "RUB"}


@dataclass
class _Offer:
    price: Decimal | None = None
    currency: str = ""
    stock: Decimal | None = None


def currency_normalize(value: str) -> str:
    value = value.strip()
    return CURRENCY_ALIASES.get(value.lower(), value.upper())


def _price_type(package: Element) -> tuple[str, str] | None:
    """The (Ид, currency) of the price type to import: `COMMERCEML_PRICE_TYPE` (its
    name or Ид), or the first one; None when the file declares none."""
    types = package.findall("ТипыЦен/ТипЦены")
    if not types:
        return None
    wanted = (getattr(settings, "COMMERCEML_PRICE_TYPE", "") or "").strip().casefold()
    chosen = types[0]
    if wanted:
        matching = [
            t
            for t in types
            if wanted in (text(t, "Наименование").casefold(), text(t, "Ид").casefold())
        ]
        if not matching:
            raise CommerceMLError(
                _("The price type %(wanted)s is not in the file (it has: %(names)s).")
                % {
                    "wanted": settings.COMMERCEML_PRICE_TYPE,
                    "names": ", ".join(text(t, "Наименование") for t in types),
                }
            )
        chosen = matching[0]
    return text(chosen, "Ид"), currency_normalize(text(chosen, "Валюта"))


def _stock(offer: Element) -> Decimal | None:
    direct = offer.find("Количество")
    if direct is not None:
        return decimal_read(text(direct))
    amounts = [
        decimal_read(text(e))
        for e in offer.findall("Остатки/Остаток/Количество")
        + offer.findall("Остатки/Остаток/Склад/Количество")
    ]
    amounts += [
        decimal_read(s.get("КоличествоНаСкладе") or "") for s in offer.findall("Склад")
    ]
    amounts = [a for a in amounts if a is not None]
    return sum(amounts, Decimal(0)) if amounts else None


def _offer_price(offer: Element, price_type) -> tuple[Decimal | None, str]:
    for price in offer.findall("Цены/Цена"):
        if price_type is not None and text(price, "ИдТипаЦены") != price_type[0]:
            continue
        currency = currency_normalize(text(price, "Валюта")) or (
            price_type[1] if price_type else ""
        )
        return decimal_read(text(price, "ЦенаЗаЕдиницу")), currency
    return None, ""


def _offers(package: Element, price_type) -> dict[str, _Offer]:
    """Offers by product `Ид`: a product's characteristics (`<product>#<char>`) add
    their stock; the price is the product's own offer's, else the first one's."""
    offers: dict[str, _Offer] = {}
    for element in package.findall("Предложения/Предложение"):
        full_id = text(element, "Ид")
        product_id = full_id.split("#", 1)[0]
        if not product_id:
            continue
        offer = offers.setdefault(product_id, _Offer())
        price, currency = _offer_price(element, price_type)
        if price is not None and (offer.price is None or full_id == product_id):
            offer.price, offer.currency = price, currency
        stock = _stock(element)
        if stock is not None:
            offer.stock = (offer.stock or Decimal(0)) + stock
    return offers


def offers_apply(*, package: Element, result: ExchangeResult) -> None:
    price_type = _price_type(package)
    offers = _offers(package, price_type)
    result.offers = len(offers)
    currency = PriceList.objects.public_or_new().currency
    wrong = sorted(
        {o.currency for o in offers.values() if o.currency and o.currency != currency}
    )
    if wrong:
        raise CommerceMLError(
            _("Prices are in %(got)s; the shop's list prices are in %(want)s.")
            % {"got": ", ".join(wrong), "want": currency}
        )
    items = items_by_id(list(offers))
    result.unknown = sorted(set(offers) - set(items))
    current = catalog_current([i.article for i in items.values()])
    entries = []
    for external_id, offer in offers.items():
        item = items.get(external_id)
        if item is None:
            continue
        have = current.get(article_normalize(item.article), {})
        price = offer.price if offer.price and offer.price > 0 else have.get("price")
        if price is None:
            result.waiting += 1
            result.warnings.append(
                _("%(article)s: no price of the imported type; not created yet.")
                % {"article": item.article}
            )
            continue
        stock = None
        if offer.stock is not None:  # the shop counts whole units, never below zero
            stock = max(0, math.floor(offer.stock))
        entries.append(
            Entry(
                label=f"{item.article} ({external_id})",
                data={**item.data, "article": item.article},
                price=price,
                stock=stock,
            )
        )
    rows_import(entries, current, result)
