"""Template tags for purchase lists on pages outside the cabinet (the product page)."""

from django import template

from cabinet.lists.selectors import purchase_lists_for_company

register = template.Library()

SELECT_LIMIT = 200


@register.simple_tag(takes_context=True)
def purchase_lists_to_add(context):
    """The active company's lists as (id, name) pairs for an "Add to list" select, or
    None when the viewer may not edit lists (visitor, no company, accountant). One
    query."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None or not membership.can("order"):
        return None
    return list(
        purchase_lists_for_company(company=membership.company)
        .order_by("-updated_at", "pk")
        .values_list("pk", "name")[:SELECT_LIMIT]
    )
