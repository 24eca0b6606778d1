"""Values every storefront page shows: contacts, the active company, the short form."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from accounts.selectors import memberships_for_user
from content.forms import LeadForm

# Pages that show the short request form in their own body, not in the footer.
_PAGES_WITH_OWN_LEAD_FORM = frozenset({"home", "content:lead"})


def storefront(request):
    match = getattr(request, "resolver_match", None)
    user = getattr(request, "user", None)
    return {
        "shop_phone": settings.SHOP_PHONE,
        "shop_email": settings.SHOP_EMAIL,
        "active_company": getattr(request, "company", None),
        "active_membership": getattr(request, "membership", None),
        # Evaluated only by templates that offer switching.
        "company_memberships": SimpleLazyObject(
            lambda: (
                list(memberships_for_user(user=user))
                if user is not None and user.is_authenticated
                else []
            )
        ),
        "lead_form": LeadForm(auto_id="lead-%s", initial={"page": request.path}),
        "footer_lead_form": match is None
        or match.view_name not in _PAGES_WITH_OWN_LEAD_FORM,
    }
