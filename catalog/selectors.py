"""Reads about products: their other numbers, analogues, substitutes and successor."""

from dataclasses import dataclass, field

from catalog.models import CrossReference, Product, Substitute
from catalog.partner.availability import ProductAvailability, availability_for_products


@dataclass
class RelatedProduct:
    product: Product
    availability: ProductAvailability
    note: str = ""


@dataclass
class ProductRelations:
    cross_references: list[CrossReference] = field(default_factory=list)
    analogues: list[RelatedProduct] = field(default_factory=list)
    substitutes: list[RelatedProduct] = field(default_factory=list)
    successor: RelatedProduct | None = None
    availability: ProductAvailability | None = None

    @property
    def products(self) -> list[Product]:
        items = [*self.analogues, *self.substitutes]
        if self.successor:
            items.append(self.successor)
        return [item.product for item in items]


def product_relations(
    *, product: Product, analogue_limit: int = 50, availability=None
) -> ProductRelations:
    """Everything the product page shows about related numbers and products, in a
    constant number of queries. When the product itself is out of stock, in-stock
    analogues come first. `availability(products)` → {pk: ProductAvailability}
    (default `availability_for_products`) lets the page's pricing strategy, which
    loads the same stock records, answer."""
    relations = ProductRelations(
        cross_references=list(product.cross_references.order_by("kind", "number"))
    )
    analogues: list[Product] = []
    if product.analogue_group_id:
        analogues = list(
            _related_queryset()
            .filter(analogue_group_id=product.analogue_group_id)
            .exclude(pk=product.pk)
            .order_by("title")[:analogue_limit]
        )
    substitutes = list(
        Substitute.objects.filter(product=product)
        .select_related("substitute", "substitute__manufacturer")
        .order_by("substitute__title")
    )
    successor = product.successor if product.successor_id else None
    related = [*analogues, *(s.substitute for s in substitutes)]
    if successor is not None:
        related.append(successor)
    stock = (availability or _stock)([product, *related])
    relations.availability = stock[product.pk]
    relations.analogues = [RelatedProduct(p, stock[p.pk]) for p in analogues]
    relations.analogues.sort(
        key=lambda r: (not r.availability.in_stock, r.product.title)
    )
    relations.substitutes = [
        RelatedProduct(s.substitute, stock[s.substitute_id], s.note)
        for s in substitutes
    ]
    if successor is not None:
        relations.successor = RelatedProduct(successor, stock[successor.pk])
    return relations


def _stock(products: list[Product]) -> dict[int, ProductAvailability]:
    return availability_for_products(products=products)


def _related_queryset():
    return Product.objects.browsable().select_related("manufacturer")


def analogues_in_stock(*, products: list[Product]) -> dict[int, list[Product]]:
    """In-stock interchangeable products for each given product (for quick order and
    reorder), in two queries."""
    groups = {p.analogue_group_id for p in products if p.analogue_group_id}
    if not groups:
        return {p.pk: [] for p in products}
    members = list(
        _related_queryset().filter(analogue_group_id__in=groups).order_by("title")
    )
    stock = availability_for_products(products=members)
    by_group: dict[int, list[Product]] = {}
    for member in members:
        if stock[member.pk].in_stock and not member.is_discontinued:
            by_group.setdefault(member.analogue_group_id, []).append(member)
    return {
        p.pk: [m for m in by_group.get(p.analogue_group_id, []) if m.pk != p.pk]
        for p in products
    }


@dataclass(frozen=True)
class Replacement:
    """What to offer instead of a product that is discontinued or out of stock."""

    product: Product
    in_stock: bool
    successor: Product | None
    analogues: list[Product]

    @property
    def needs_replacement(self) -> bool:
        return self.product.is_discontinued or not self.in_stock


def replacements_for(products: list[Product]) -> dict[int, Replacement]:
    """Availability, successor and in-stock analogues of each product, in a constant
    number of queries."""
    stock = availability_for_products(products=products)
    successor_ids = {p.successor_id for p in products if p.successor_id}
    successors = {
        s.pk: s
        for s in Product.objects.filter(pk__in=successor_ids).select_related(
            "manufacturer"
        )
    }
    analogues = analogues_in_stock(products=products)
    return {
        p.pk: Replacement(
            product=p,
            in_stock=stock[p.pk].in_stock,
            successor=successors.get(p.successor_id),
            analogues=analogues.get(p.pk, []),
        )
        for p in products
    }
