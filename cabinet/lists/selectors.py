"""Reading purchase lists, always scoped by company: the lists, one list's lines, the
products that may go on a list, export rows."""

from django.db.models import Count, QuerySet

from accounts.models import Company
from cabinet.models import PurchaseList, PurchaseListLine
from catalog.models import Product

EXPORT_HEADERS = ["article", "name", "manufacturer", "quantity", "note"]


def purchase_lists_for_company(*, company: Company | None) -> QuerySet[PurchaseList]:
    """The company's lists (none without a company): every object fetch starts here."""
    if company is None:
        return PurchaseList.objects.none()
    return PurchaseList.objects.filter(company=company)


def purchase_lists_overview(*, company: Company | None) -> QuerySet[PurchaseList]:
    """The index: lists with their line count and creator, newest change first."""
    return (
        purchase_lists_for_company(company=company)
        .select_related("created_by")
        .annotate(line_count=Count("lines"))
        .order_by("-updated_at", "pk")
    )


def purchase_list_lines(*, purchase_list: PurchaseList) -> list[PurchaseListLine]:
    return list(
        purchase_list.lines.select_related(
            "product__manufacturer", "product__product_class"
        ).order_by("position", "pk")
    )


def products_addable(*, ids: list[int]) -> dict[int, Product]:
    """Public, orderable-shaped products (not parents) by id; unknown ids are absent."""
    return {
        p.pk: p
        for p in Product.objects.filter(pk__in=ids, is_public=True).exclude(
            structure=Product.PARENT
        )
    }


def purchase_list_export_rows(*, purchase_list: PurchaseList) -> list[list[str]]:
    """Rows under `EXPORT_HEADERS` (the writers escape formula-like cells)."""
    return [
        [
            line.product.article or "",
            line.product.get_title(),
            line.product.manufacturer.name if line.product.manufacturer_id else "",
            str(line.quantity),
            line.note,
        ]
        for line in purchase_list_lines(purchase_list=purchase_list)
    ]
