"""Catalog export in the import's own format, so that export → import is a no-op."""

from collections import defaultdict

from catalog.models import (
    CrossReference,
    Product,
    ProductAttributeValue,
    ProductCategory,
)
from catalog.partner.models import Partner, StockRecord
from catalog.pricing.models import PriceList, PriceListItem

COLUMNS = [
    "article",
    "name",
    "price",
    "currency",
    "manufacturer",
    "manufacturer_article",
    "cross_references",
    "analogues",
    "category",
    "unit",
    "pack_size",
    "min_order_qty",
    "stock",
    "vat_rate",
    "description",
]
BATCH = 2000


def catalog_export_rows() -> tuple[list[str], list[list[str]]]:
    products = list(
        Product.objects.filter(article__isnull=False)
        .select_related("manufacturer")
        .order_by("article")
    )
    price_list = PriceList.objects.public()
    prices = {}
    if price_list:
        prices = dict(
            PriceListItem.objects.filter(
                price_list=price_list, min_quantity=1
            ).values_list("product_id", "price")
        )
    warehouse = Partner.objects.filter(is_default=True).first()
    stock = {}
    if warehouse:
        stock = dict(
            StockRecord.objects.filter(partner=warehouse).values_list(
                "product_id", "num_in_stock"
            )
        )
    refs: dict[int, list[str]] = defaultdict(list)
    for pid, number in CrossReference.objects.order_by("number").values_list(
        "product_id", "number"
    ):
        refs[pid].append(number)
    groups: dict[int, list[str]] = defaultdict(list)
    for p in products:
        if p.analogue_group_id:
            groups[p.analogue_group_id].append(p.article)
    categories = {}
    for pc in ProductCategory.objects.select_related("category").order_by("pk"):
        categories.setdefault(pc.product_id, pc.category)
    attributes: dict[int, dict[str, str]] = defaultdict(dict)
    attribute_names: set[str] = set()
    for value in ProductAttributeValue.objects.select_related("attribute").filter(
        value_text__isnull=False
    ):
        attributes[value.product_id][value.attribute.name] = value.value_text
        attribute_names.add(value.attribute.name)
    extra = sorted(attribute_names - set(COLUMNS))
    currency = price_list.currency if price_list else ""
    rows = []
    for p in products:
        category = categories.get(p.pk)
        path = (
            " > ".join(c.name for c in category.get_ancestors_and_self())
            if category
            else ""
        )
        analogues = [a for a in groups.get(p.analogue_group_id, []) if a != p.article]
        rows.append(
            [
                p.article,
                p.title,
                str(prices.get(p.pk, "")),
                currency,
                p.manufacturer.name if p.manufacturer else "",
                p.manufacturer_article,
                "|".join(refs.get(p.pk, [])),
                "|".join(analogues),
                path,
                p.unit,
                str(p.pack_size),
                str(p.min_order_qty),
                "" if stock.get(p.pk) is None else str(stock[p.pk]),
                format(p.vat_rate.normalize(), "f") if p.vat_rate is not None else "",
                p.description,
                *[attributes[p.pk].get(name, "") for name in extra],
            ]
        )
    return COLUMNS + extra, rows
