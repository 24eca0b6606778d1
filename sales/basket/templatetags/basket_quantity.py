"""Template helpers for quantity inputs: the smallest orderable quantity, so that
`min`/`step` in the browser agree with the basket service."""

from django import template

from sales.basket.services import quantity_minimum

register = template.Library()


@register.filter
def order_minimum(product) -> int:
    return quantity_minimum(product)


@register.filter
def stock_promise(availability, quantity):
    """How `quantity` units would be served (the strategy's availability; None
    for an availability that makes no promise)."""
    promise = getattr(availability, "promise", None)
    return promise(int(quantity)) if promise else None


@register.filter
def get_item(mapping, key):
    """`mapping[key]` or None (a view's lookup table by id)."""
    return mapping.get(key) if mapping else None
