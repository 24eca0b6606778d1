"""The content app's answers to what happens elsewhere: target actions recorded
(`content.tracking`) when a landing page is served, a document downloaded, a person
registers or a company orders for the first time, and a visitor's anonymous actions
handed to the person at login and registration. Connected in `ContentConfig.ready`.
None of them may break what the person is doing: they record quietly."""

import logging

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_placed
from wagtail import hooks
from wagtail.documents.models import document_served

from accounts.middleware import SESSION_KEY
from accounts.models import Company
from accounts.selectors import membership_for_user
from accounts.signals import user_registered
from content.models import Event, LandingPage
from content.tracking import (
    event_record_quietly,
    visitor_id_from_request,
    visitor_merge,
)

logger = logging.getLogger(__name__)

# What `content.downloads` tells the `document_served` receiver: the page and the
# lead of a download through it (a request attribute, the signal has no room).
DOWNLOAD_CONTEXT_ATTR = "_content_download"


def _is_staff(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


def _merge_quietly(*, request, user, company) -> None:
    try:
        with transaction.atomic():
            visitor_merge(
                visitor_id=visitor_id_from_request(request), user=user, company=company
            )
    except Exception:
        logger.exception("visitor %s not merged into user %s", request, user.pk)


@receiver(user_logged_in, dispatch_uid="content.visitor_merge_on_login")
def visitor_merge_on_login(sender, request, user, **kwargs):
    """Signing in: the browser's earlier actions are the person's, and the
    company's they act for."""
    if request is None or not visitor_id_from_request(request):
        return
    membership = membership_for_user(
        user=user, company_id=request.session.get(SESSION_KEY)
    )
    company = membership.company if membership is not None else None
    _merge_quietly(request=request, user=user, company=company)


@receiver(user_registered, dispatch_uid="content.registration_record")
def registration_record(sender, request, user, company, invited=False, **kwargs):
    _merge_quietly(request=request, user=user, company=company)
    event_record_quietly(
        kind=Event.Kind.REGISTRATION, request=request, user=user, company=company
    )


@receiver(order_placed, dispatch_uid="content.first_order_record")
def first_order_record(sender, order, user=None, **kwargs):
    """The company's first order, once per company. Inside the order's transaction,
    with the company's row locked (FOR NO KEY UPDATE: rows that point to the company
    can still be written), so two first orders placed at once record one event."""
    if not order.company_id:
        return
    try:
        with transaction.atomic():
            list(
                Company.objects.select_for_update(no_key=True)
                .filter(pk=order.company_id)
                .values_list("pk", flat=True)
            )
            if Event.objects.filter(
                kind=Event.Kind.FIRST_ORDER, company_id=order.company_id
            ).exists():
                return
    except Exception:
        logger.exception("first order of company %s not checked", order.company_id)
        return
    event_record_quietly(
        kind=Event.Kind.FIRST_ORDER,
        user=order.user,
        company=order.company,
        path=f"order:{order.number}",
    )


@receiver(document_served, dispatch_uid="content.download_record")
def download_record(sender, instance, request, **kwargs):
    """Every download of a document, through `/documents/<id>/<name>` or through
    `/downloads/<id>/` (which says the page and the lead); not an editor's."""
    if request is None or request.method != "GET" or _is_staff(request):
        return
    context = getattr(request, DOWNLOAD_CONTEXT_ATTR, {})
    event_record_quietly(
        kind=Event.Kind.DOWNLOAD,
        request=request,
        document=instance,
        page=context.get("page"),
        lead=context.get("lead"),
    )


@hooks.register("before_serve_page")
def landing_view_record(page, request, serve_args, serve_kwargs):
    """A visitor's (not an editor's) GET of a segment landing page; Wagtail calls
    this hook neither for previews nor for pages its privacy rules refused."""
    if (
        request.method != "GET"
        or getattr(request, "is_preview", False)
        or _is_staff(request)
        or not issubclass(page.specific_class or type(page), LandingPage)
    ):
        return None
    event_record_quietly(kind=Event.Kind.LANDING_VIEW, request=request, page=page)
    return None
