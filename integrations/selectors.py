"""Reads of a company's webhooks, scoped by the acting membership's company."""

from accounts.models import Membership, membership_require
from integrations.models import WebhookDelivery, WebhookEndpoint

DELIVERY_LOG_SIZE = 50


def webhook_endpoints_for_company(*, membership: Membership):
    membership_require(membership, "manage_team")
    return WebhookEndpoint.objects.filter(company=membership.company).select_related(
        "created_by"
    )


def webhook_deliveries_for_company(*, membership: Membership, limit=DELIVERY_LOG_SIZE):
    """The company's latest deliveries, newest first."""
    membership_require(membership, "manage_team")
    return WebhookDelivery.objects.filter(
        endpoint__company=membership.company
    ).select_related("endpoint")[:limit]


def webhook_delivery_get(*, membership: Membership, pk: int) -> WebhookDelivery:
    """One delivery of the company; `WebhookDelivery.DoesNotExist` otherwise."""
    membership_require(membership, "manage_team")
    return WebhookDelivery.objects.select_related("endpoint").get(
        endpoint__company=membership.company, pk=pk
    )
