"""Requisitions API (/api/v1/cabinet/requisitions/): the requisitions the caller sees
(session or API token), one with its lines and thread, and the approver's actions —
approve, reject, ask for changes, comment — by the same services and rules as the
pages. Another company's requisition, or someone else's for a member who does not
approve, is 404. Bodies are JSON: `{"text": "..."}` for a comment or for changes,
`{"reason": "..."}` to reject, `{"comment": "...", "confirm_total": "2640.00"}` to
approve (the total only when prices changed: the 409 answer names it)."""

import json

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from core.api import ApiCaller, ApiError, api_error, api_page, json_body
from sales.checkout import approvals
from sales.checkout.models import Requisition, RequisitionStatus
from sales.checkout.requisitions import (
    approval_queue,
    requisition_get,
    requisitions_visible,
)
from sales.checkout.requisitions import (
    may_approve as requisition_may_approve,
)
from sales.checkout.rules import RequisitionError

PAGE_SIZE = 50
BODY_MAX = 16_384
ERRORS = {400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError}

router = Router(tags=["approvals"])


class RequisitionOut(Schema):
    number: str
    status: str
    status_label: str
    submitted_at: str
    created_by: str
    po_number: str
    currency: str
    total_excl_tax: str
    total_incl_tax: str
    reasons: list[str]
    approvals_required: int
    order: str | None
    may_approve: bool


class RequisitionPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[RequisitionOut]


class RequisitionLineOut(Schema):
    article: str
    name: str
    quantity: int
    unit_price_incl_tax: str
    line_price_incl_tax: str


class RequisitionEventOut(Schema):
    at: str
    by: str | None
    kind: str
    label: str
    text: str


class RequisitionDetailOut(RequisitionOut):
    lines: list[RequisitionLineOut]
    events: list[RequisitionEventOut]


class RequisitionApprovedOut(RequisitionOut):
    waiting_for_second_approval: bool


class PricesChangedOut(Schema):
    detail: str
    submitted_total: str
    confirm_total: str = Field(description="Send it back as `confirm_total`")


class ApproveIn(Schema):
    comment: str = ""
    confirm_total: str | None = Field(
        None, description="Only when prices changed: the total the 409 answer named"
    )


class RejectIn(Schema):
    reason: str = ""


class TextIn(Schema):
    text: str = ""


ACTION_ERRORS = {**ERRORS, 409: PricesChangedOut}


def _json(requisition: Requisition, *, membership, may_approve=None) -> dict:
    """`may_approve` when the caller knows it (a list reads the queue once)."""
    return {
        "number": requisition.number,
        "status": requisition.status,
        "status_label": requisition.status_label,
        "submitted_at": requisition.submitted_at.isoformat(),
        "created_by": requisition.created_by.email,
        "po_number": requisition.po_number,
        "currency": requisition.currency,
        "total_excl_tax": str(requisition.total_excl_tax),
        "total_incl_tax": str(requisition.total_incl_tax),
        "reasons": requisition.reason_texts,
        "approvals_required": requisition.levels_required,
        "order": requisition.order.number if requisition.order_id else None,
        "may_approve": (
            requisition_may_approve(membership, requisition)
            if may_approve is None
            else may_approve
        ),
    }


def _membership(request):
    membership = request.membership
    if membership is None:
        return None, api_error(_("You are not acting for a company."), 403)
    return membership, None


@router.get(
    "",
    url_name="cabinet-requisitions",
    auth=ApiCaller(),
    response={200: RequisitionPageOut, **ERRORS},
    summary="The requisitions the caller sees",
)
def requisition_list(
    request,
    status: str | None = None,
    waiting: str | None = None,
    page: str | None = None,
):
    """`?status=pending|changes_requested|approved|rejected|withdrawn`, or
    `?waiting=me` for those waiting for the caller's approval."""
    membership, error = _membership(request)
    if error:
        return error
    found = requisitions_visible(membership).select_related("order")
    if request.GET.get("waiting") == "me":
        found = approval_queue(membership).select_related("created_by", "order")
    status = request.GET.get("status")
    if status:
        if status not in RequisitionStatus.values:
            return api_error(_("Unknown status."), 400)
        found = found.filter(status=status)
    waiting = set(approval_queue(membership).values_list("pk", flat=True))
    return api_page(
        request,
        found,
        size=PAGE_SIZE,
        render=lambda r: _json(r, membership=membership, may_approve=r.pk in waiting),
    )


def _found(membership, number):
    try:
        return requisition_get(membership, number)
    except Requisition.DoesNotExist:
        return None


@router.get(
    "{number}/",
    url_name="cabinet-requisition",
    auth=ApiCaller(),
    response={200: RequisitionDetailOut, **ERRORS},
    summary="One requisition with its lines and thread",
)
def requisition_detail(request, number: str):
    membership, error = _membership(request)
    if error:
        return error
    requisition = _found(membership, number)
    if requisition is None:
        return api_error(_("Requisition not found."), 404)
    return JsonResponse(
        {
            **_json(requisition, membership=membership),
            "lines": [
                {
                    "article": line.article,
                    "name": line.title,
                    "quantity": line.quantity,
                    "unit_price_incl_tax": str(line.unit_price_incl_tax),
                    "line_price_incl_tax": str(line.line_price_incl_tax),
                }
                for line in requisition.lines.all()
            ],
            "events": [
                {
                    "at": event.created_at.isoformat(),
                    "by": event.actor.email if event.actor else None,
                    "kind": event.kind,
                    "label": str(event.get_kind_display()),
                    "text": event.text,
                }
                for event in requisition.events.select_related("actor")
            ],
        }
    )


def _body(request) -> dict:
    if len(request.body) > BODY_MAX:
        raise ValueError(_("The body is too large."))
    try:
        data = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValueError(_("The body must be a JSON object.")) from None
    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
        raise ValueError(_("The body must be a JSON object of strings."))
    return data


def _action(request, number, act):
    membership, error = _membership(request)
    if error:
        return error
    if _found(membership, number) is None:
        return api_error(_("Requisition not found."), 404)
    try:
        data = _body(request)
        result = act(membership, data)
    except approvals.PricesChanged as exc:
        return JsonResponse(
            {
                "detail": str(exc),
                "submitted_total": str(exc.submitted),
                "confirm_total": str(exc.now),
            },
            status=409,
        )
    except PermissionDenied as exc:
        return api_error(str(exc), 403)
    except (RequisitionError, ValueError) as exc:
        return api_error(str(exc), 400)
    requisition = requisition_get(membership, number)
    return JsonResponse({**_json(requisition, membership=membership), **result})


def _confirm(raw):
    if raw in (None, ""):
        return None
    return approvals.confirm_total_parse(raw)


@router.post(
    "{number}/approve/",
    url_name="cabinet-requisition-approve",
    auth=ApiCaller(),
    response={200: RequisitionApprovedOut, **ACTION_ERRORS},
    summary="Approve a requisition (the order is placed at the last approval)",
    openapi_extra=json_body(ApproveIn),
)
def requisition_approve(request, number: str):
    def act(membership, data):
        decision = approvals.requisition_approve(
            membership=membership,
            number=number,
            strategy=request.strategy,
            comment=data.get("comment", ""),
            confirm_total=_confirm(data.get("confirm_total")),
        )
        return {"waiting_for_second_approval": decision.waiting}

    return _action(request, number, act)


def _text_endpoint(service, field: str, *, action: str, body, summary: str):
    """A POST endpoint `<number>/<action>/` that passes one string of the JSON body
    to a requisition action (`service(membership=, number=, <field>=)`)."""

    def endpoint(request, number: str):
        def act(membership, data):
            service(
                membership=membership, number=number, **{field: data.get(field, "")}
            )
            return {}

        return _action(request, number, act)

    router.add_api_operation(
        f"{{number}}/{action}/",
        ["POST"],
        endpoint,
        url_name=f"cabinet-requisition-{action}",
        operation_id=f"cabinet_requisition_{action}",
        auth=ApiCaller(),
        response={200: RequisitionOut, **ACTION_ERRORS},
        summary=summary,
        openapi_extra=json_body(body),
    )
    return endpoint


requisition_reject = _text_endpoint(
    approvals.requisition_reject,
    "reason",
    action="reject",
    body=RejectIn,
    summary="Reject a requisition, with the reason",
)
requisition_changes = _text_endpoint(
    approvals.requisition_request_changes,
    "text",
    action="changes",
    body=TextIn,
    summary="Send a requisition back for changes",
)
requisition_comment = _text_endpoint(
    approvals.requisition_comment,
    "text",
    action="comment",
    body=TextIn,
    summary="Comment on a requisition's thread",
)
