"""A company's webhook endpoint and a failed delivery, made directly (no look-up
of the host, nothing sent), for the URL maps of tests/security and tests/cabinet."""

from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint

# Never called: creating an endpoint sends nothing, and these rows are made in
# transactions that are rolled back before any task would run.
MAP_URL = "https://erp.customer.invalid/hooks/shop"


def webhook_objects(company) -> tuple[WebhookEndpoint, WebhookDelivery]:
    """The company's one map endpoint and its failed delivery (made once)."""
    endpoint, _created = WebhookEndpoint.objects.get_or_create(
        company=company,
        url=MAP_URL,
        defaults={"events": ["order.placed"], "secret": "whsec_map"},
    )
    delivery, _created = WebhookDelivery.objects.get_or_create(
        endpoint=endpoint,
        key="order.placed:map",
        defaults={
            "event": "order.placed",
            "payload": {"order": {"number": "MAP"}},
            "status": DeliveryStatus.FAILED,
            "attempts": 6,
            "last_status_code": 500,
        },
    )
    return endpoint, delivery
