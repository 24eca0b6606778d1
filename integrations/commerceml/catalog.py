"""import.xml and offers.xml applied through the catalogue import: the items of
`Каталог` (with their groups as category breadcrumbs) and the prices and stock of
`ПакетПредложений` become rows of one `Table` for `catalog_import`, so
normalisation, indexing and the public price list stay one code path.

Products are matched by article (`Артикул`, or the `Ид` when there is none);
`ExchangeItem` remembers each `Ид` with its article and row, because offers.xml
carries only the `Ид`. import.xml alone updates the products that already have a
list price and keeps the new ones waiting: a product is created when offers.xml
brings its price. What 1C does not send (the manufacturer's part number,
cross-references, pack size, minimum order, a manufacturer or description left
out) is taken from the product as it is, so an exchange never erases it. Each file
is applied in one transaction: a refused file changes nothing."""

from xml.etree.ElementTree import Element

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.articles import ARTICLE_MAX_LENGTH, article_normalize
from catalog.importing.catalog_import import UNIT_ALIASES
from catalog.models import Unit
from integrations.commerceml.models import ExchangeItem
from integrations.commerceml.offers import offers_apply
from integrations.commerceml.parsing import CommerceMLError, decimal_read, text
from integrations.commerceml.rows import (
    ERRORS_SHOWN,
    Entry,
    ExchangeResult,
    catalog_current,
    items_by_id,
    rows_import,
)

# OKEI codes of the units the catalogue knows (БазоваяЕдиница/@Код).
UNIT_CODES = {
    "796": Unit.PIECE,
    "006": Unit.METRE,
    "166": Unit.KILOGRAM,
    "112": Unit.LITRE,
    "839": Unit.SET,
    "778": Unit.PACK,
    "715": Unit.PAIR,
    "736": Unit.ROLL,
}
UNIT_NAMES = {
    **UNIT_ALIASES,
    "штука": Unit.PIECE,
    "pce": Unit.PIECE,
    "метр": Unit.METRE,
    "килограмм": Unit.KILOGRAM,
    "литр": Unit.LITRE,
    "комплект": Unit.SET,
    "упаковка": Unit.PACK,
    "рулон": Unit.ROLL,
}


def exchange_file_import(*, root: Element) -> ExchangeResult:
    """Apply a parsed import.xml or offers.xml (or a file with both) at once."""
    catalog = root.find("Каталог")
    offers = root.find("ПакетПредложений")
    if catalog is None and offers is None:
        raise CommerceMLError(
            _(
                "The file has neither a catalogue (<Каталог>) nor offers (<ПакетПредложений>)."
            )
        )
    result = ExchangeResult()
    with transaction.atomic():
        if catalog is not None:
            _catalog_apply(root.find("Классификатор"), catalog, result)
        if offers is not None:
            offers_apply(package=offers, result=result)
    return result


def _group_paths(classifier: Element | None) -> dict[str, str]:
    """Each group's `Ид` → its breadcrumb "Parent > Child" (nested `Группы`)."""
    paths: dict[str, str] = {}

    def walk(groups: Element | None, trail: list[str]) -> None:
        if groups is None:
            return
        for group in groups.findall("Группа"):
            name = text(group, "Наименование").replace(">", "›")[:255]
            here = [*trail, name] if name else trail
            group_id = text(group, "Ид")
            if group_id and here:
                paths[group_id] = " > ".join(here)
            walk(group.find("Группы"), here)

    if classifier is not None:
        walk(classifier.find("Группы"), [])
    return paths


def _unit(item: Element) -> str | None:
    unit = item.find("БазоваяЕдиница")
    if unit is None:
        return None
    code = (unit.get("Код") or "").strip()
    if code in UNIT_CODES:
        return UNIT_CODES[code]
    for name in (
        text(unit),
        unit.get("НаименованиеКраткое") or "",
        unit.get("НаименованиеПолное") or "",
    ):
        name = name.strip().lower()
        if name in Unit.values:
            return name
        if name in UNIT_NAMES:
            return UNIT_NAMES[name]
    return ""  # given, but not a unit of the catalogue


def _vat(item: Element) -> str | None:
    for rate in item.findall("СтавкиНалогов/СтавкаНалога"):
        name = text(rate, "Наименование").upper()
        if name and "НДС" not in name and "VAT" not in name:
            continue
        value = text(rate, "Ставка")
        if value.lower().startswith("без"):
            return "0"
        number = decimal_read(value.replace("%", ""))
        if number is not None:
            return str(number)
    return None


def _item_data(item: Element, groups: dict[str, str]) -> tuple[str, dict]:
    external_id = text(item, "Ид").split("#", 1)[0]
    article = text(item, "Артикул") or external_id
    data = {"article": article, "name": text(item, "Наименование")}
    for group_id in item.findall("Группы/Ид"):
        if (group_id.text or "").strip() in groups:
            data["category"] = groups[group_id.text.strip()]
            break
    unit = _unit(item)
    if unit is not None:
        data["unit"] = unit
    vat = _vat(item)
    if vat is not None:
        data["vat_rate"] = vat
    manufacturer = text(item, "Изготовитель/Наименование")
    if manufacturer:
        data["manufacturer"] = manufacturer
    if item.find("Описание") is not None:
        data["description"] = text(item, "Описание")
    return external_id, data


def _is_deleted(item: Element) -> bool:
    status = (item.get("Статус") or text(item, "Статус")).lower()
    return status in ("удален", "удалён", "deleted")


def _catalog_items(catalog: Element, groups: dict[str, str], result) -> dict[str, dict]:
    items: dict[str, dict] = {}
    errors = []
    for number, item in enumerate(catalog.findall("Товары/Товар"), start=1):
        if _is_deleted(item):
            result.deleted += 1
            continue
        external_id, data = _item_data(item, groups)
        if not external_id or len(external_id) > 80:
            errors.append(_("item %(n)s: no valid <Ид>") % {"n": number})
        elif external_id in items:
            errors.append(
                _("item %(n)s: the <Ид> %(id)s appears twice")
                % {"n": number, "id": external_id}
            )
        elif len(data["article"]) > ARTICLE_MAX_LENGTH:
            errors.append(
                _("item %(id)s: the article is longer than %(max)s characters")
                % {"id": external_id, "max": ARTICLE_MAX_LENGTH}
            )
        else:
            items[external_id] = data
    if errors:
        raise CommerceMLError("\n".join(errors[:ERRORS_SHOWN]))
    return items


def _catalog_apply(classifier, catalog: Element, result: ExchangeResult) -> None:
    items = _catalog_items(catalog, _group_paths(classifier), result)
    known = items_by_id(list(items))
    create, update = [], []
    for external_id, data in items.items():
        item = known.get(external_id)
        if item is None:
            create.append(
                ExchangeItem(
                    external_id=external_id, article=data["article"], data=data
                )
            )
        elif item.data != data or item.article != data["article"]:
            item.article, item.data = data["article"], data
            item.updated_at = timezone.now()
            update.append(item)
    ExchangeItem.objects.bulk_create(create, batch_size=1000)
    ExchangeItem.objects.bulk_update(
        update, ["article", "data", "updated_at"], batch_size=1000
    )
    current = catalog_current([d["article"] for d in items.values()])
    entries = []
    for external_id, data in items.items():
        price = current.get(article_normalize(data["article"]), {}).get("price")
        if price is None:
            result.waiting += 1
            continue
        entries.append(
            Entry(label=f"{data['article']} ({external_id})", data=data, price=price)
        )
    rows_import(entries, current, result)
