"""Target actions (`content.models.Event`): recording one, and the anonymous visitor
id that ties a visitor's actions together until they sign in or register
(`VisitorMiddleware` gives it; `visitor_merge` hands its rows to the person)."""

import logging
import uuid

from django.db import transaction

from content.models import Event, Lead
from content.touches import first_touch_from_cookie, touch_from_request

logger = logging.getLogger(__name__)

VISITOR_COOKIE = "shop_visitor"
VISITOR_MAX_AGE = 365 * 24 * 60 * 60
# Paths that are no visit of a person's: files, probes, the API, the editors' admin.
UNTRACKED_PREFIXES = ("/static/", "/media/", "/health/", "/api/", "/cms/")


def _uuid_or_blank(raw) -> str:
    try:
        return str(uuid.UUID(raw))
    except (ValueError, AttributeError, TypeError):
        return ""


def visitor_id_from_request(request) -> str:
    """The visitor id of the request: the one `VisitorMiddleware` has just given a
    new visitor, else the cookie's, when it is a well-formed one."""
    if request is None:
        return ""
    given = getattr(request, "visitor_id", "")
    if given:
        return given
    return _uuid_or_blank(request.COOKIES.get(VISITOR_COOKIE, ""))


class VisitorMiddleware:
    """Gives every browser a random id (`VISITOR_COOKIE`, a year) on its first GET
    answered below 400, outside `UNTRACKED_PREFIXES`. The id is put on the request
    before the view runs, so an event of that very first visit carries it. It sits
    above `shop.cache.PageCacheMiddleware`, like the first-touch cookie: a cached
    page never carries anyone's id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        known = _uuid_or_blank(request.COOKIES.get(VISITOR_COOKIE, ""))
        new = ""
        if (
            not known
            and request.method == "GET"
            and not request.path.startswith(UNTRACKED_PREFIXES)
        ):
            new = str(uuid.uuid4())
        request.visitor_id = known or new
        response = self.get_response(request)
        if new and response.status_code < 400:
            response.set_cookie(
                VISITOR_COOKIE,
                new,
                max_age=VISITOR_MAX_AGE,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response


def event_record(
    *,
    kind: str,
    request=None,
    user=None,
    company=None,
    lead=None,
    page=None,
    document=None,
    path: str = "",
) -> Event:
    """Store one target action. With a request, the visitor id, the signed-in
    person, the active company, the path and the first touch's UTM come from it;
    the keyword arguments win over what the request says."""
    touch = {}
    if request is not None:
        # The first touch; on the very first visit its cookie is not set yet, and
        # the request itself is the touch.
        touch = first_touch_from_cookie(request)
        if not touch and request.method == "GET":
            touch = touch_from_request(request)
    if request is not None:
        request_user = getattr(request, "user", None)
        if user is None and request_user is not None and request_user.is_authenticated:
            user = request_user
        if company is None:
            company = getattr(request, "company", None)
        path = path or request.path
    return Event.objects.create(
        kind=kind,
        visitor_id=visitor_id_from_request(request),
        user=user if user is not None and user.is_authenticated else None,
        company=company,
        lead=lead,
        page=page,
        document=document,
        path=path[:255],
        utm_source=touch.get("utm_source", ""),
        utm_medium=touch.get("utm_medium", ""),
        utm_campaign=touch.get("utm_campaign", ""),
    )


def event_record_quietly(**kwargs) -> Event | None:
    """`event_record` for the user's own actions (an order, a download, a quote):
    in a savepoint, so a failed write neither breaks the action nor spoils its
    transaction; the failure is logged (`content.tracking` at ERROR, with the
    traceback) and None returned."""
    try:
        with transaction.atomic():
            return event_record(**kwargs)
    except Exception:
        logger.exception("target action %s not recorded", str(kwargs.get("kind")))
        return None


def visitor_merge(*, visitor_id: str, user, company=None) -> int:
    """The visitor's anonymous events and leads become the person's (and the
    company's, when known); the number of events taken over."""
    if not visitor_id:
        return 0
    fields = {"user": user}
    if company is not None:
        fields["company"] = company
    taken = Event.objects.filter(visitor_id=visitor_id, user__isnull=True).update(
        **fields
    )
    leads = Lead.objects.filter(visitor_id=visitor_id, user__isnull=True)
    leads.filter(company__isnull=True).update(**fields)
    leads.update(user=user)
    if company is not None:
        # Events merged at an earlier login, before the company was known.
        Event.objects.filter(
            visitor_id=visitor_id, user=user, company__isnull=True
        ).update(company=company)
    return taken
