"""ERP API: POST /api/v1/serials — serial numbers and batches of an order's delivered
goods, for staff (session or API token). Checked like a file import: 400 with every
error and nothing saved, or 201 with what was recorded."""

import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router, Schema

from core.api import ApiCaller, ApiError, api_error, json_body
from invoicing.serials import MAX_FILE_BYTES, serials_add

router = Router(tags=["serials"])


class SerialLineIn(Schema):
    article: str | None = None
    line: int | None = None
    serial: str | None = None
    batch: str | None = None


class SerialsIn(Schema):
    order: str
    lines: list[SerialLineIn]


class SerialErrorOut(Schema):
    line: int | None
    field: str | None
    message: str


class SerialsRefusedOut(Schema):
    detail: str
    errors: list[SerialErrorOut]


class SerialsOut(Schema):
    order: str
    created: int


@router.post(
    "serials",
    url_name="serials",
    auth=ApiCaller(),
    response={
        201: SerialsOut,
        400: SerialsRefusedOut | ApiError,
        401: ApiError,
        403: ApiError,
    },
    summary="Record serial numbers and batches of an order's goods (staff only)",
    openapi_extra=json_body(SerialsIn),
)
def serials_post(request):
    if not (request.user.is_active and request.user.is_staff):
        return api_error(_("Only staff may enter serial numbers."), 403)
    if len(request.body) > MAX_FILE_BYTES:
        return api_error(_("The request body is too large."), 400)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        return api_error(_("The body must be JSON."), 400)
    order = body.get("order") if isinstance(body, dict) else None
    lines = body.get("lines") if isinstance(body, dict) else None
    if not isinstance(order, str | int) or not isinstance(lines, list):
        return api_error(
            _('Send {"order": "<number>", "lines": [{"article" or "line", '
              '"serial", "batch"}]}.'),
            400,
        )  # fmt: skip
    report = serials_add(user=request.user, order=str(order), lines=lines)
    if not report.ok:
        return JsonResponse(
            {
                "detail": ngettext(
                    "Nothing was saved: %(n)s error.",
                    "Nothing was saved: %(n)s errors.",
                    len(report.errors),
                )
                % {"n": len(report.errors)},
                "errors": [
                    {"line": e.line, "field": e.column, "message": e.message}
                    for e in report.errors
                ],
            },
            status=400,
        )
    return JsonResponse({"order": str(order), "created": report.created}, status=201)
