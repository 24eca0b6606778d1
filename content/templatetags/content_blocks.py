"""Template helpers of the page blocks: the request form a block shows."""

from django import template

from content.forms import LeadForm

register = template.Library()


@register.simple_tag(takes_context=True)
def block_lead_form(context, kind: str, block_id: str = "") -> LeadForm:
    """A fresh request form opened on `kind`, remembering the page it was sent from."""
    request = context.get("request")
    return LeadForm(
        auto_id=f"lead-{block_id or 'block'}-%s",
        initial={"kind": kind, "page": request.path if request is not None else ""},
    )
