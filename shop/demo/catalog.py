"""Builds the demo catalog with bulk inserts: categories, manufacturers, products,
cross-references, analogue groups, substitutes, successors, warehouses, stock and the
public list prices."""

from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from random import Random

from django.utils.text import slugify
from oscar.apps.catalogue.categories import create_from_breadcrumbs

from catalog.articles import article_normalize
from catalog.models import (
    AnalogueGroup,
    Category,
    CrossReference,
    Lifecycle,
    Manufacturer,
    Product,
    ProductCategory,
    ProductClass,
    Substitute,
)
from catalog.partner.models import Partner, StockRecord
from catalog.pricing.models import PriceList, PriceListItem
from core.progress import Progress
from shop.demo.families import (
    BRAND_COUNTRIES,
    CATEGORY_NAMES_EN,
    FAMILIES,
    PINNED_KEYS,
    Spec,
)

BATCH = 2000
WAREHOUSES = [
    # code, name, city, lead min, lead max, priority, restock days, chance to hold it
    ("msk", "Москва, склад Южный", "Москва", 0, 1, 10, 10, 0.85),
    ("ekb", "Екатеринбург, склад", "Екатеринбург", 2, 3, 20, 8, 0.45),
    ("supplier", "Склад поставщика", "", 5, 7, 90, 0, 0.6),
]


def choose_specs(*, rng: Random, count: int) -> list[Spec]:
    """A deterministic mix of families, `count` products in all. Whole
    interchangeability groups are taken together, so even a small demo has analogues
    from several manufacturers."""
    chosen: list[Spec] = []
    for family, share in FAMILIES:
        groups: dict[tuple, list[Spec]] = {}
        for spec in family():
            groups.setdefault(spec.key, []).append(spec)
        keys = list(groups)
        rng.shuffle(keys)
        keys.sort(key=lambda key: key not in PINNED_KEYS)  # stable: pinned first
        want = count - len(chosen) if share >= 1 else round(count * share)
        taken: list[Spec] = []
        for key in keys:
            if len(taken) >= want:
                break
            taken.extend(groups[key])
        chosen.extend(taken[: max(0, want)])
    return chosen[:count]


def build_catalog(*, rng: Random, count: int, stdout) -> list[Product]:
    specs = choose_specs(rng=rng, count=count)
    product_class, _ = ProductClass.objects.get_or_create(
        name="Goods", defaults={"requires_shipping": True, "track_stock": True}
    )
    categories = {
        path: create_from_breadcrumbs(path)
        for path in sorted({s.category for s in specs})
    }
    manufacturers = _manufacturers({s.brand for s in specs})
    warehouses = _warehouses()
    list_price = _public_price_list()

    products = _products(specs, product_class, manufacturers, stdout)
    by_article = {p.article: p for p in products}
    spec_of = {p.pk: s for s, p in zip(specs, products, strict=True)}

    _bulk(
        ProductCategory,
        (
            ProductCategory(product=p, category=categories[spec_of[p.pk].category])
            for p in products
        ),
        len(products),
        "categories",
        stdout,
    )
    _analogues_and_lifecycle(rng, products, spec_of, by_article)
    _cross_references(rng, products, spec_of, stdout)
    _stock(rng, products, warehouses, stdout)
    _bulk(
        PriceListItem,
        (
            PriceListItem(
                price_list=list_price,
                product=p,
                min_quantity=1,
                price=_price(spec_of[p.pk], rng),
            )
            for p in products
        ),
        len(products),
        "list prices",
        stdout,
    )
    Category.fix_tree()
    _english_category_names()
    return products


def _english_category_names() -> None:
    for russian, english in CATEGORY_NAMES_EN.items():
        Category.objects.filter(name=russian, name_en="").update(name_en=english)


def _price(spec: Spec, rng: Random) -> Decimal:
    jitter = Decimal(rng.randint(92, 108)) / 100
    return (spec.base_price * jitter).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _manufacturers(names) -> dict[str, Manufacturer]:
    result = {}
    for name in sorted(names):
        result[name], _ = Manufacturer.objects.get_or_create(
            name=name,
            defaults={"slug": slugify(name), "country": BRAND_COUNTRIES.get(name, "")},
        )
    return result


def _warehouses() -> list[tuple[Partner, float]]:
    result = []
    for code, name, city, lead_min, lead_max, priority, restock, chance in WAREHOUSES:
        partner, _ = Partner.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "city": city,
                "lead_time_min_days": lead_min,
                "lead_time_max_days": lead_max,
                "priority": priority,
                "restock_days": restock,
                "is_default": code == "msk",
            },
        )
        result.append((partner, chance))
    return result


def _public_price_list() -> PriceList:
    price_list = PriceList.objects.public_or_new()
    if price_list.pk is None:
        price_list.save()
    return price_list


def _products(specs, product_class, manufacturers, stdout) -> list[Product]:
    progress = Progress("products", len(specs), stdout)
    products = [
        Product(
            structure=Product.STANDALONE,
            is_public=True,
            title=spec.title,
            title_en=spec.title_en,
            slug=slugify(spec.article)[:255] or "item",
            description=_description(spec),
            product_class=product_class,
            article=spec.article,
            article_normalized=article_normalize(spec.article),
            manufacturer=manufacturers[spec.brand],
            manufacturer_article=spec.mpn,
            manufacturer_article_normalized=article_normalize(spec.mpn),
            unit=spec.unit,
            pack_size=spec.pack_size,
            min_order_qty=spec.min_order_qty,
            order_step=spec.order_step,
        )
        for spec in specs
    ]
    _assign_analogue_groups(specs, products)
    for start in range(0, len(products), BATCH):
        Product.objects.bulk_create(products[start : start + BATCH])
        progress.advance(len(products[start : start + BATCH]))
    return products


def _description(spec: Spec) -> str:
    return (
        f"{spec.title}. Артикул производителя {spec.mpn}. "
        "Поставка со склада в Москве или под заказ, сертификаты соответствия по запросу."
    )


def _assign_analogue_groups(specs: list[Spec], products: list[Product]) -> None:
    """Set `analogue_group` before the products are inserted (no mass UPDATE later)."""
    members: dict[tuple, list[Product]] = defaultdict(list)
    for spec, product in zip(specs, products, strict=True):
        members[spec.key].append(product)
    shared = [group for group in members.values() if len(group) > 1]
    groups = AnalogueGroup.objects.bulk_create([AnalogueGroup() for _ in shared])
    for group, products_in_group in zip(groups, shared, strict=True):
        for product in products_in_group:
            product.analogue_group = group


def _analogues_and_lifecycle(rng, products, spec_of, by_article) -> None:
    groups: dict[int, list[Product]] = defaultdict(list)
    for product in products:
        if product.analogue_group_id:
            groups[product.analogue_group_id].append(product)
    # A few discontinued products point to an interchangeable successor; a small
    # catalogue has one at least (the first group), so lists and reorders show it.
    retiring = [members for members in groups.values() if rng.random() < 0.06]
    if not retiring and groups:
        retiring = [next(iter(groups.values()))]
    for members in retiring:
        old, new = members[0], members[1]
        old.lifecycle = Lifecycle.DISCONTINUED
        old.successor = new
        Product.objects.filter(pk=old.pk).update(
            lifecycle=Lifecycle.DISCONTINUED, successor=new
        )
    # Substitutes: a shielded bearing for a sealed one (not interchangeable everywhere).
    subs = []
    for product in products:
        spec = spec_of[product.pk]
        if spec.family == "bearing" and spec.key[2] == "2RS":
            alt = by_article.get(product.article.replace("-2RS-", "-ZZ-"))
            if alt is not None:
                subs.append(
                    Substitute(
                        product=product,
                        substitute=alt,
                        note="Металлические шайбы вместо резиновых уплотнений: "
                        "хуже защита от влаги, выше допустимая частота вращения",
                    )
                )
    Substitute.objects.bulk_create(subs, batch_size=BATCH)


def _cross_references(rng, products, spec_of, stdout) -> None:
    def rows():
        for product in products:
            spec = spec_of[product.pk]
            seen = {product.article_normalized}
            for kind, number, brand in spec.crossrefs:
                normalized = article_normalize(number)
                if normalized in seen:
                    continue
                seen.add(normalized)
                yield CrossReference(
                    product=product,
                    kind=kind,
                    number=number,
                    number_normalized=normalized,
                    brand=brand,
                )
            if rng.random() < 0.05:
                old = f"{rng.randint(1000000, 9999999)}"
                yield CrossReference(
                    product=product,
                    kind=CrossReference.Kind.OLD_ARTICLE,
                    number=old,
                    number_normalized=article_normalize(old),
                    brand="",
                )

    _bulk(
        CrossReference,
        rows(),
        len(products),
        "cross-refs",
        stdout,
        unit_per_product=True,
    )


def _stock(rng, products, warehouses, stdout) -> None:
    def rows():
        for product in products:
            for partner, chance in warehouses:
                if rng.random() >= chance:
                    continue
                in_stock = (
                    0 if rng.random() < 0.25 else rng.randint(1, 60) * product.pack_size
                )
                yield StockRecord(
                    product=product,
                    partner=partner,
                    partner_sku=product.article,
                    num_in_stock=in_stock,
                    num_allocated=0,
                )

    _bulk(StockRecord, rows(), len(products), "stock", stdout, unit_per_product=True)


def _bulk(model, rows, total, label, stdout, unit_per_product=False) -> None:
    progress = Progress(label, total, stdout)
    batch = []
    last_product = None
    for row in rows:
        batch.append(row)
        if unit_per_product:
            pid = row.product_id
            if pid != last_product:
                progress.advance(1)
                last_product = pid
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            if not unit_per_product:
                progress.advance(len(batch))
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        if not unit_per_product:
            progress.advance(len(batch))
    progress.finish()
