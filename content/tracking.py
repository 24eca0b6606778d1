"""Target actions (`content.models.Event`): recording one, and the anonymous visitor
id that ties a visitor's actions together until they sign in or register."""

import uuid

from content.models import Event
from content.touches import first_touch_from_cookie

VISITOR_COOKIE = "shop_visitor"


def visitor_id_from_request(request) -> str:
    """The visitor id of the request's cookie, when it is a well-formed one."""
    if request is None:
        return ""
    raw = request.COOKIES.get(VISITOR_COOKIE, "")
    try:
        return str(uuid.UUID(raw))
    except (ValueError, AttributeError, TypeError):
        return ""


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
    touch = first_touch_from_cookie(request) if request is not None else {}
    if request is not None:
        if user is None and request.user.is_authenticated:
            user = request.user
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
