"""Webhooks, run by a company's administrators from the cabinet: register an
endpoint (its secret returned once), switch it on or off, remove it, send it a test
event, send a failed delivery again; and `webhook_event_record`, which the
receivers call when something happens for a company.

Every service for the cabinet takes the acting membership and checks
`manage_team` first; the endpoint or delivery is fetched through the actor's
company, so another company's id is never found."""

import secrets
import uuid
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Company, Membership, membership_require
from core.tasks import enqueue_on_commit
from integrations.addresses import webhook_url_check
from integrations.models import (
    SUBSCRIBABLE_EVENTS,
    DeliveryStatus,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)
from integrations.payloads import test_payload
from integrations.tasks import webhook_delivery_send

ENDPOINTS_MAX = 10


class WebhookError(ValidationError):
    """A webhook change that cannot be made; the message says why."""


def _enqueue(delivery: WebhookDelivery) -> None:
    enqueue_on_commit(webhook_delivery_send, delivery_id=delivery.pk, attempt=1)


def _endpoint(membership: Membership, pk: int) -> WebhookEndpoint:
    return WebhookEndpoint.objects.get(company=membership.company, pk=pk)


def _events_check(events) -> list[str]:
    wanted = list(dict.fromkeys(events or ()))
    allowed = {str(e) for e in SUBSCRIBABLE_EVENTS}
    if not wanted:
        raise WebhookError(_("Choose at least one event."))
    if not set(wanted) <= allowed:
        raise WebhookError(_("Choose the events from the list."))
    return [e for e in (str(x) for x in SUBSCRIBABLE_EVENTS) if e in wanted]


@transaction.atomic
def webhook_endpoint_create(
    *, membership: Membership, url: str, events, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """A new active endpoint of the company and its secret (shown to them once)."""
    membership_require(membership, "manage_team")
    url = webhook_url_check(url)
    events = _events_check(events)
    description = (description or "").strip()
    if len(description) > 100 or "\x00" in description:
        raise WebhookError(_("Give a description of up to 100 characters."))
    Company.objects.select_for_update().filter(pk=membership.company_id).first()
    if WebhookEndpoint.objects.filter(company=membership.company).count() >= (
        ENDPOINTS_MAX
    ):
        raise WebhookError(
            _("A company has at most %(max)d endpoints: remove one first.")
            % {"max": ENDPOINTS_MAX}
        )
    secret = "whsec_" + secrets.token_urlsafe(32)
    endpoint = WebhookEndpoint.objects.create(
        company=membership.company,
        url=url,
        description=description,
        events=events,
        secret=secret,
        created_by=membership.user,
    )
    return endpoint, secret


def webhook_endpoint_active_set(
    *, membership: Membership, pk: int, active: bool
) -> WebhookEndpoint:
    membership_require(membership, "manage_team")
    endpoint = _endpoint(membership, pk)
    endpoint.is_active = active
    endpoint.save(update_fields=["is_active"])
    return endpoint


def webhook_endpoint_delete(*, membership: Membership, pk: int) -> WebhookEndpoint:
    """Remove the endpoint with its deliveries."""
    membership_require(membership, "manage_team")
    endpoint = _endpoint(membership, pk)
    endpoint.delete()
    return endpoint


@transaction.atomic
def webhook_endpoint_test(*, membership: Membership, pk: int) -> WebhookDelivery:
    """A test event to the endpoint, sent by the worker like any other."""
    membership_require(membership, "manage_team")
    endpoint = _endpoint(membership, pk)
    if not endpoint.is_active:
        raise WebhookError(_("Switch the endpoint on to send it a test event."))
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event=WebhookEvent.TEST,
        key=f"webhook.test:{uuid.uuid4().hex}",
        payload=test_payload(company_id=endpoint.company_id),
        next_attempt_at=timezone.now(),
    )
    _enqueue(delivery)
    return delivery


@transaction.atomic
def webhook_delivery_resend(*, membership: Membership, pk: int) -> WebhookDelivery:
    """A failed delivery sent again, with a fresh count of attempts."""
    membership_require(membership, "manage_team")
    delivery = (
        WebhookDelivery.objects.select_for_update()
        .select_related("endpoint")
        .get(endpoint__company=membership.company, pk=pk)
    )
    if delivery.status != DeliveryStatus.FAILED:
        raise WebhookError(_("Only a failed delivery can be sent again."))
    if not delivery.endpoint.is_active:
        raise WebhookError(_("Switch the endpoint on to send it deliveries."))
    delivery.status = DeliveryStatus.PENDING
    delivery.attempts = 0
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    _enqueue(delivery)
    return delivery


def webhook_event_record(
    *, company_id: int, event: str, key: str, payload: Callable[[], dict]
) -> list[WebhookDelivery]:
    """A delivery to each active endpoint of the company subscribed to `event`,
    once per `key`, sent after the commit; `payload` is built only if one is."""
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(company_id=company_id, is_active=True)
        if event in e.events
    ]
    if not endpoints:
        return []
    data = payload()
    created = []
    for endpoint in endpoints:
        delivery, new = WebhookDelivery.objects.get_or_create(
            endpoint=endpoint,
            key=key,
            defaults={
                "event": event,
                "payload": data,
                "next_attempt_at": timezone.now(),
            },
        )
        if new:
            _enqueue(delivery)
            created.append(delivery)
    return created
