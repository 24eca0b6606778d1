"""The rows the 1C exchange gives the catalogue import: one `Table` for
`catalog_import`, each row the item as 1C describes it merged with what the
catalogue has (what 1C does not send stays as it is), and each exchange item then
pointed at its product. A row the import refuses refuses the whole file."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from catalog.articles import article_normalize
from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import Table
from catalog.models import CrossReference, Product
from catalog.pricing.models import PriceList, PriceListItem
from integrations.commerceml.models import ExchangeItem
from integrations.commerceml.parsing import CommerceMLError

ERRORS_SHOWN = 10
HEADERS = [
    "article",
    "name",
    "price",
    "manufacturer",
    "manufacturer_article",
    "cross_references",
    "category",
    "unit",
    "pack_size",
    "min_order_qty",
    "stock",
    "vat_rate",
    "description",
]


@dataclass
class ExchangeResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    waiting: int = 0  # items of import.xml with no price yet
    offers: int = 0
    deleted: int = 0  # items 1C marked deleted: left as they are
    unknown: list[str] = field(default_factory=list)  # offers for an unknown Ид
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        lines = [
            _(
                "Products created: %(created)s, updated: %(updated)s, "
                "unchanged: %(unchanged)s."
            )
            % {
                "created": self.created,
                "updated": self.updated,
                "unchanged": self.unchanged,
            }
        ]
        if self.waiting:
            lines.append(
                _("Items waiting for a price (offers.xml): %(n)s.")
                % {"n": self.waiting}
            )
        if self.deleted:
            lines.append(
                _("Items marked deleted in 1C, left as they are: %(n)s.")
                % {"n": self.deleted}
            )
        if self.unknown:
            lines.append(
                _("Offers for unknown items (not in import.xml): %(n)s: %(ids)s")
                % {"n": len(self.unknown), "ids": ", ".join(self.unknown[:10])}
            )
        lines += self.warnings[:ERRORS_SHOWN]
        return "\n".join(lines)


@dataclass
class Entry:
    """One row for the catalogue import: the item, its price and stock."""

    label: str
    data: dict
    price: Decimal
    stock: int | None = None


def catalog_current(articles: list[str]) -> dict[str, dict]:
    """What the catalogue has for these articles: the product, its list price (one
    unit), its cross-references."""
    normalized = sorted({article_normalize(a) for a in articles if a})
    found: dict[str, dict] = {}
    for start in range(0, len(normalized), 500):
        chunk = normalized[start : start + 500]
        for product in Product.objects.filter(
            article_normalized__in=chunk
        ).select_related("manufacturer"):
            found[product.article_normalized] = {"product": product, "refs": []}
    by_pk = {v["product"].pk: v for v in found.values()}
    price_list = PriceList.objects.public()
    pks = list(by_pk)
    for start in range(0, len(pks), 500):
        chunk = pks[start : start + 500]
        if price_list is not None:
            for item in PriceListItem.objects.filter(
                price_list=price_list, min_quantity=1, product_id__in=chunk
            ):
                by_pk[item.product_id]["price"] = item.price
        for ref in CrossReference.objects.filter(product_id__in=chunk).order_by("pk"):
            by_pk[ref.product_id]["refs"].append(ref.number)
    return found


def _values(entry: Entry, have: dict) -> dict[str, str]:
    data, product = entry.data, have.get("product")
    values = {
        "article": data["article"],
        "name": data.get("name", ""),
        "price": str(entry.price),
    }
    for column in ("category", "vat_rate"):
        if data.get(column):
            values[column] = data[column]
    if "description" in data:
        values["description"] = data["description"]
    if entry.stock is not None:
        values["stock"] = str(entry.stock)
    unit = data.get("unit") or (product.unit if product else "")
    if unit:
        values["unit"] = unit
    manufacturer = data.get("manufacturer") or (
        product.manufacturer.name if product and product.manufacturer else ""
    )
    if manufacturer:
        values["manufacturer"] = manufacturer
    if product is not None:  # what 1C does not send stays as it is
        values["manufacturer_article"] = product.manufacturer_article
        values["cross_references"] = " | ".join(have["refs"])
        values["pack_size"] = str(product.pack_size)
        values["min_order_qty"] = str(product.min_order_qty)
    return values


def rows_import(entries: list[Entry], current: dict, result: ExchangeResult) -> None:
    for entry in entries:
        if entry.data.get("unit") == "":
            result.warnings.append(
                _(
                    "%(item)s: a unit the shop does not know; the product's unit is kept."
                )
                % {"item": entry.label}
            )
    if not entries:
        return
    rows = [
        (
            line,
            _values(entry, current.get(article_normalize(entry.data["article"]), {})),
        )
        for line, entry in enumerate(entries, start=1)
    ]
    report = catalog_import(table=Table(headers=list(HEADERS), rows=rows))
    if report.errors:
        labels = {line: entry.label for line, entry in enumerate(entries, start=1)}
        raise CommerceMLError(
            "\n".join(
                f"{labels.get(e.line, e.line)}: {e.column}: {e.reason}"
                for e in report.errors[:ERRORS_SHOWN]
            )
        )
    result.created += report.created
    result.updated += report.updated
    result.unchanged += report.unchanged
    items_link([e.data["article"] for e in entries])


def chunks(values: list, size: int = 500):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def items_by_id(external_ids: list[str]) -> dict[str, ExchangeItem]:
    return {
        item.external_id: item
        for chunk in chunks(external_ids)
        for item in ExchangeItem.objects.filter(external_id__in=chunk)
    }


def items_link(articles: list[str]) -> None:
    """Each exchange item points at the product of its article."""
    normalized = sorted({article_normalize(a) for a in articles})
    products = {
        p.article_normalized: p.pk
        for chunk in chunks(normalized)
        for p in Product.objects.filter(article_normalized__in=chunk)
    }
    changed = []
    for item in (
        i
        for chunk in chunks(sorted(set(articles)))
        for i in ExchangeItem.objects.filter(article__in=chunk)
    ):
        pk = products.get(article_normalize(item.article))
        if pk is not None and item.product_id != pk:
            item.product_id = pk
            changed.append(item)
    ExchangeItem.objects.bulk_update(changed, ["product"], batch_size=1000)
