"""Values every storefront page shows: contacts, the active company, the short form,
the header's search form."""

from django.conf import settings
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from oscar.apps.search.context_processors import search_form as oscar_search_form

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
        "footer_lead_form": match is None or not _has_own_lead_form(match),
    }


def _has_own_lead_form(match) -> bool:
    # A translation's home page (`/ru/`) is Wagtail's root path, not "home".
    translated_home = match.view_name == "wagtail_serve" and match.args == ("",)
    return translated_home or match.view_name in _PAGES_WITH_OWN_LEAD_FORM


def shop_search_form(request):
    """Oscar's header search form (`search_form`) on the storefront's pages only:
    Wagtail's admin headers read a `search_form` of their own and would show the
    shop's search box on every report that has none."""
    if request.path.startswith(reverse("wagtailadmin_home")):
        return {}
    return oscar_search_form(request)
