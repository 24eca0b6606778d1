"""Reads of the lead pipeline: the live page a form was sent from, the leads a staff
member works in the Wagtail admin, and a lead's history."""

from django.db.models import Q, QuerySet
from django.http import Http404
from wagtail.models import Page, Site

from accounts.models import User
from content.models import Event, Lead, LeadNote

SALES_MANAGERS_GROUP = "Sales managers"


def page_for_path(*, request, path: str) -> Page | None:
    """The live Wagtail page at `path` of the request's site (a form's `page`
    field), else none: the catalogue, the cart and other non-Wagtail pages."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [part for part in path.split("?", 1)[0].split("/") if part]
    try:
        page, _args, _kwargs = site.root_page.specific.route(request, components)
    except Http404:
        return None
    except Exception:  # noqa: BLE001 — a page's own route() may refuse a path any way
        return None
    return page if page.live else None


def works_own_queue(user: User) -> bool:
    """An account manager or a sales manager: their lead list opens on their own
    leads and the queue."""
    if user.is_superuser:
        return False
    return (
        user.managed_companies.exists()
        or user.groups.filter(name=SALES_MANAGERS_GROUP).exists()
    )


def leads_for_admin() -> QuerySet[Lead]:
    """Every lead, with what the list shows (staff who may view leads see all)."""
    return Lead.objects.select_related("owner", "company", "source_page")


def leads_mine_and_queue(queryset: QuerySet[Lead], *, user: User) -> QuerySet[Lead]:
    return queryset.filter(Q(owner=user) | Q(owner__isnull=True))


def lead_notes(*, lead: Lead) -> QuerySet[LeadNote]:
    return lead.notes.select_related("author").order_by("-created_at", "-pk")


def lead_events(*, lead: Lead, limit: int = 50) -> list[Event]:
    """The lead's target actions, the newest first: those recorded with it, and
    those of its visitor (views and downloads before the form was sent)."""
    match = Q(lead=lead)
    if lead.visitor_id:
        match |= Q(visitor_id=lead.visitor_id)
    return list(
        Event.objects.filter(match)
        .select_related("page", "document")
        .order_by("-created_at", "-pk")[:limit]
    )


def lead_owner_choices() -> QuerySet[User]:
    """Who a lead may be given to: active staff."""
    return User.objects.filter(is_active=True, is_staff=True).order_by(
        "first_name", "last_name", "email"
    )
