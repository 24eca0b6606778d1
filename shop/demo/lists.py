"""Demo purchase lists for `load_demo`, written only through the purchase-list
services: each company's working lists (an object's electrical work, the monthly
consumables, a line's repair kit), made by different members and shared with the
whole company, with quantities in whole packs and notes where people leave them."""

from dataclasses import dataclass, field
from random import Random

from accounts.models import Company, Membership
from cabinet.lists.services import (
    ListItem,
    purchase_list_add_items,
    purchase_list_create,
)
from cabinet.models import PurchaseList
from catalog.models import Lifecycle, Product
from sales.basket.services import quantity_fit, quantity_minimum


@dataclass(frozen=True)
class Section:
    """Products of one category on a list: how many lines, how many minimum
    quantities (packs) each, and the notes of its first lines."""

    category: str
    lines: int
    packs: tuple[int, int]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DemoList:
    company_key: str
    name: str
    created_by: str  # e-mail of the member who made it
    sections: tuple[Section, ...]
    # Also a discontinued product with a successor (of the sections' categories if
    # the catalogue has one): the list offers the successor.
    with_discontinued: bool = False


BREAKERS = "Автоматические выключатели"
BOLTS = "Болты и винты"
BEARINGS = "Шариковые радиальные"
CYLINDERS = "Пневмоцилиндры"
DRILLS = "Свёрла по металлу"

LISTS = (
    DemoList(
        "stroymontazh",
        "Объект Южный — электрика",
        "buyer@stroymontazh.demo",
        (
            Section(
                BREAKERS,
                6,
                (4, 24),
                ("щит ЩР-1, 1 этаж", "щит ЩР-2, 2 этаж", "", "резерв на объекте"),
            ),
            Section(BOLTS, 2, (2, 6), ("крепление лотков",)),
        ),
    ),
    DemoList(
        "stroymontazh",
        "Ежемесячный расход",
        "buyer@stroymontazh.demo",
        (
            Section(BOLTS, 4, (4, 12), ("", "на склад участка")),
            Section(DRILLS, 3, (2, 6)),
        ),
        with_discontinued=True,
    ),
    DemoList(
        "stroymontazh",
        "Инструмент для бригады Павлова",
        "admin@stroymontazh.demo",
        (Section(DRILLS, 4, (1, 3), ("комплект на 5 человек",)),),
    ),
    DemoList(
        "zavod",
        "Ремонт линии №2 — подшипники",
        "buyer@zavod.demo",
        (
            Section(
                BEARINGS, 6, (2, 12), ("редуктор конвейера", "", "электродвигатель")
            ),
        ),
        with_discontinued=True,
    ),
    DemoList(
        "zavod",
        "Пневматика участка сборки",
        "buyer@dealer.demo",
        (Section(CYLINDERS, 3, (2, 6), ("пост №3",)),),
    ),
    DemoList(
        "dealer",
        "Ходовые позиции на склад",
        "buyer@dealer.demo",
        (
            Section(BEARINGS, 4, (20, 60)),
            Section(BREAKERS, 3, (20, 50)),
            Section(BOLTS, 3, (10, 40)),
        ),
    ),
    DemoList(
        "newco",
        "Первая закупка",
        "pending@newco.demo",
        (Section(BOLTS, 2, (1, 3)), Section(DRILLS, 2, (2, 5))),
    ),
)


@dataclass
class ListsMade:
    lists: int = 0
    lines: int = 0
    companies: set[str] = field(default_factory=set)


def build_demo_lists(
    *, rng: Random, companies: dict[str, Company], stdout=None
) -> ListsMade:
    """The lists above; a company that already has lists is left as it is."""
    made = ListsMade()
    orderable, discontinued = _products()
    if not orderable[""]:
        return made
    skip = {
        key
        for key, company in companies.items()
        if PurchaseList.objects.filter(company=company).exists()
    }
    for spec in LISTS:
        company = companies.get(spec.company_key)
        if company is None or spec.company_key in skip:
            continue
        creator = Membership.objects.filter(
            company=company, user__email=spec.created_by, is_active=True
        ).first()
        if creator is None:
            continue
        purchase_list = purchase_list_create(
            company=company, name=spec.name, created_by=creator.user
        )
        items = _items(rng, spec, orderable, discontinued)
        added, _increased = purchase_list_add_items(
            purchase_list=purchase_list, items=items
        )
        made.lists += 1
        made.lines += added
        made.companies.add(spec.company_key)
    if stdout is not None:
        stdout.write(
            f"Purchase lists: {made.lists} for {len(made.companies)} companies, "
            f"{made.lines} lines."
        )
    return made


def _products() -> tuple[dict[str, list[Product]], dict[str, list[Product]]]:
    """Public products by leaf category ("" for all; in id order, so choices are
    deterministic): those that can be bought, and discontinued ones with a
    successor."""
    products = (
        Product.objects.filter(is_public=True)
        .exclude(structure=Product.PARENT)
        .prefetch_related("categories")
        .order_by("pk")
    )
    return (
        _by_category(products.exclude(lifecycle=Lifecycle.DISCONTINUED)),
        _by_category(
            products.filter(lifecycle=Lifecycle.DISCONTINUED, successor__isnull=False)
        ),
    )


def _by_category(products) -> dict[str, list[Product]]:
    found: dict[str, list[Product]] = {"": []}
    for product in products:
        for category in product.categories.all():
            found.setdefault(category.name, []).append(product)
        found[""].append(product)
    return found


def _items(rng, spec: DemoList, orderable, discontinued) -> list[ListItem]:
    """Lines of each section from its category (any product when a small catalogue
    has none of it), each a whole number of minimum quantities."""
    items: list[ListItem] = []
    taken: set[int] = set()
    for section in spec.sections:
        pool = [
            p
            for p in orderable.get(section.category) or orderable[""]
            if p.pk not in taken
        ]
        chosen = rng.sample(pool, min(section.lines, len(pool)))
        for i, product in enumerate(chosen):
            taken.add(product.pk)
            note = section.notes[i] if i < len(section.notes) else ""
            items.append(_item(rng, product, section.packs, note))
    if spec.with_discontinued:
        pools = [discontinued.get(s.category) for s in spec.sections]
        pool = next((p for p in pools if p), discontinued[""])
        if pool:
            items.append(_item(rng, rng.choice(pool), spec.sections[0].packs, ""))
    return items


def _item(rng, product: Product, packs: tuple[int, int], note: str) -> ListItem:
    wanted = quantity_minimum(product) * rng.randint(*packs)
    return ListItem(product, quantity_fit(product, wanted).quantity, note)
