"""Interchangeability groups: linking two products merges their groups (so the relation
stays transitive); unlinking takes one product out of its group."""

from collections.abc import Iterable

from django.db import transaction

from catalog.cache import catalog_cache_bump
from catalog.models import AnalogueGroup, Product


class _UnionFind:
    def __init__(self):
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _components(pairs) -> tuple[dict[int, int | None], list[list[int]]]:
    """The current group of every product involved, and the connected sets after
    linking the pairs (existing group members stay together)."""
    involved = {p.pk for pair in pairs for p in pair}
    group_ids = {
        p.analogue_group_id for pair in pairs for p in pair if p.analogue_group_id
    }
    members = Product.objects.filter(pk__in=involved)
    if group_ids:
        members = members | Product.objects.filter(analogue_group_id__in=group_ids)
    current = dict(members.values_list("pk", "analogue_group_id"))
    uf = _UnionFind()
    first_of_group: dict[int, int] = {}
    for pk, group in current.items():
        uf.find(pk)
        if group:
            uf.union(first_of_group.setdefault(group, pk), pk)
    for a, b in pairs:
        uf.union(a.pk, b.pk)
    components: dict[int, list[int]] = {}
    for pk in current:
        components.setdefault(uf.find(pk), []).append(pk)
    return current, [pks for pks in components.values() if len(pks) > 1]


def analogue_groups_merge(*, pairs: Iterable[tuple[Product, Product]]) -> set[int]:
    """Make each pair interchangeable. Returns the ids of products whose group changed.

    Union-find over the products and every member of their current groups, then one
    surviving group per connected set (the smallest existing id, so re-running is a
    no-op)."""
    pairs = [(a, b) for a, b in pairs if a.pk != b.pk]
    if not pairs:
        return set()
    current, components = _components(pairs)
    changed: dict[int, int] = {}
    with transaction.atomic():
        needs_group = []
        for pks in components:
            existing = min((current[pk] for pk in pks if current[pk]), default=None)
            if existing is None:
                needs_group.append(pks)
            else:
                changed.update({pk: existing for pk in pks if current[pk] != existing})
        new_groups = AnalogueGroup.objects.bulk_create(
            [AnalogueGroup() for _ in needs_group]
        )
        for group, pks in zip(new_groups, needs_group, strict=True):
            changed.update({pk: group.pk for pk in pks})
        _write_groups(changed)
        emptied = {current[pk] for pk in changed if current[pk]}
        if emptied:
            AnalogueGroup.objects.filter(pk__in=emptied, products__isnull=True).delete()
    for pair in pairs:
        for product in pair:
            if product.pk in changed:
                product.analogue_group_id = changed[product.pk]
    return set(changed)


def _write_groups(changed: dict[int, int]) -> None:
    """One small UPDATE per target group: bulk_update's CASE expressions are far
    slower on large imports."""
    by_target: dict[int, list[int]] = {}
    for pk, target in changed.items():
        by_target.setdefault(target, []).append(pk)
    for target, pks in by_target.items():
        Product.objects.filter(pk__in=pks).update(analogue_group_id=target)
    catalog_cache_bump()  # queryset updates send no model signals


def analogue_link(*, product: Product, other: Product) -> None:
    analogue_groups_merge(pairs=[(product, other)])


@transaction.atomic
def analogue_unlink(*, product: Product) -> None:
    """Take the product out of its group; the rest stay interchangeable."""
    group_id = product.analogue_group_id
    if group_id is None:
        return
    Product.objects.filter(pk=product.pk).update(analogue_group=None)
    catalog_cache_bump()
    product.analogue_group_id = None
    remaining = Product.objects.filter(analogue_group_id=group_id)
    if remaining.count() < 2:
        remaining.update(analogue_group=None)
        AnalogueGroup.objects.filter(pk=group_id).delete()
