"""The company's webhooks (/cabinet/webhooks/), for its administrators: the
endpoints (URL, events, on/off), a form to register one (its secret shown once, on
the page the creation redirects to), a test event, and the delivery log with
"send again" for a failed delivery. Everything goes through `integrations`, which
checks `manage_team` and scopes by company; another company's id is a 404."""

import json

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Membership
from integrations.models import SUBSCRIBABLE_EVENTS, WebhookDelivery, WebhookEndpoint
from integrations.selectors import (
    webhook_deliveries_for_company,
    webhook_delivery_get,
    webhook_endpoints_for_company,
)
from integrations.services import (
    WebhookError,
    webhook_delivery_resend,
    webhook_endpoint_active_set,
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_test,
)

SESSION_KEY = "cabinet.webhooks.new"
PK_MAX = 2**62


class EndpointForm(forms.Form):
    url = forms.CharField(
        label=gettext_lazy("URL"),
        max_length=2000,
        strip=True,
        help_text=gettext_lazy("An https:// address of your system that accepts POST."),
    )
    description = forms.CharField(
        label=gettext_lazy("Description"), max_length=100, required=False
    )
    events = forms.MultipleChoiceField(
        label=gettext_lazy("Events"),
        widget=forms.CheckboxSelectMultiple,
        choices=[(e.value, e.label) for e in SUBSCRIBABLE_EVENTS],
    )


def _admin(request) -> Membership:
    membership = request.membership
    if membership is None:
        raise PermissionDenied(_("You are not acting for a company."))
    if not membership.can("manage_team"):
        raise PermissionDenied(
            _("Only an administrator of the company manages its webhooks.")
        )
    return membership


def _pk(pk: int) -> int:
    if pk > PK_MAX:
        raise Http404
    return pk


@login_required
@require_http_methods(["GET", "POST"])
def webhook_index(request):
    """GET: endpoints, the form, the delivery log and — once, right after it was
    registered — the new endpoint's secret. POST: register, then redirect."""
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = _admin(request)
    form = EndpointForm()
    if request.method == "POST":
        form = EndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint, secret = webhook_endpoint_create(
                    membership=membership,
                    url=form.cleaned_data["url"],
                    events=form.cleaned_data["events"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as exc:  # a refused URL, events or limit
                form.add_error(None, " ".join(exc.messages))
            else:
                request.session[SESSION_KEY] = {"pk": endpoint.pk, "secret": secret}
                return redirect("cabinet:webhooks")
    endpoints = list(webhook_endpoints_for_company(membership=membership))
    new = request.session.pop(SESSION_KEY, None) if request.method == "GET" else None
    created = next((e for e in endpoints if new and e.pk == new.get("pk")), None)
    response = render(
        request,
        "cabinet/webhooks/index.html",
        {
            "endpoints": endpoints,
            "deliveries": webhook_deliveries_for_company(membership=membership),
            "form": form,
            "created": created,
            "secret": new["secret"] if created else None,
            "me": membership,
        },
        status=400 if request.method == "POST" else 200,
    )
    add_never_cache_headers(response)  # the secret must not stay in any cache
    return response


@login_required
@require_POST
def endpoint_active(request, pk: int):
    membership = _admin(request)
    active = request.POST.get("active") == "1"
    try:
        endpoint = webhook_endpoint_active_set(
            membership=membership, pk=_pk(pk), active=active
        )
    except WebhookEndpoint.DoesNotExist as exc:
        raise Http404 from exc
    text = _("“%(url)s” is on.") if active else _("“%(url)s” is off.")
    messages.success(request, text % {"url": endpoint.url})
    return redirect("cabinet:webhooks")


@login_required
@require_POST
def endpoint_delete(request, pk: int):
    membership = _admin(request)
    try:
        endpoint = webhook_endpoint_delete(membership=membership, pk=_pk(pk))
    except WebhookEndpoint.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(request, _("“%(url)s” is removed.") % {"url": endpoint.url})
    return redirect("cabinet:webhooks")


@login_required
@require_POST
def endpoint_test(request, pk: int):
    membership = _admin(request)
    try:
        webhook_endpoint_test(membership=membership, pk=_pk(pk))
    except WebhookEndpoint.DoesNotExist as exc:
        raise Http404 from exc
    except WebhookError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("A test event is on its way."))
    return redirect("cabinet:webhooks")


@login_required
@require_GET
def delivery_detail(request, pk: int):
    membership = _admin(request)
    try:
        delivery = webhook_delivery_get(membership=membership, pk=_pk(pk))
    except WebhookDelivery.DoesNotExist as exc:
        raise Http404 from exc
    payload = json.dumps(delivery.payload, ensure_ascii=False, indent=2)
    return render(
        request,
        "cabinet/webhooks/delivery.html",
        {"delivery": delivery, "payload": payload},
    )


@login_required
@require_POST
def delivery_resend(request, pk: int):
    membership = _admin(request)
    try:
        webhook_delivery_resend(membership=membership, pk=_pk(pk))
    except WebhookDelivery.DoesNotExist as exc:
        raise Http404 from exc
    except WebhookError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The delivery is sent again."))
    return redirect("cabinet:webhooks")
