"""Demo webhooks: Stroymontazh's ERP endpoint with a delivered order and a failed
invoice delivery in its log (rows only: nothing is sent to the demo address)."""

from datetime import timedelta

from django.utils import timezone

from accounts.models import Company
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.payloads import invoice_payload, order_payload
from invoicing.models import Invoice
from sales.order.models import Order


def build_demo_webhooks(company: Company, stdout=None) -> None:
    if WebhookEndpoint.objects.filter(company=company).exists():
        return
    admin = company.memberships.get(user__email="admin@stroymontazh.demo").user
    endpoint = WebhookEndpoint.objects.create(
        company=company,
        url="https://erp.stroymontazh.example/hooks/shop",
        description="1С:ERP",
        events=["order.placed", "order.shipped", "invoice.issued"],
        secret="whsec_demo-stroymontazh-not-secret",
        created_by=admin,
    )
    now = timezone.now()
    order = Order.objects.filter(company=company).order_by("-date_placed").first()
    if order is not None:
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="order.placed",
            key=f"order.placed:{order.pk}",
            payload=order_payload(order=order),
            status=DeliveryStatus.DELIVERED,
            attempts=1,
            last_status_code=200,
            response_body='{"status": "accepted"}',
            last_attempt_at=now - timedelta(hours=3),
            delivered_at=now - timedelta(hours=3),
        )
    invoice = Invoice.objects.filter(company=company).order_by("-issued_at").first()
    if invoice is not None:
        WebhookDelivery.objects.create(
            endpoint=endpoint,
            event="invoice.issued",
            key=f"invoice.issued:{invoice.pk}",
            payload=invoice_payload(invoice=invoice),
            status=DeliveryStatus.FAILED,
            attempts=6,
            last_status_code=503,
            response_body="Service Unavailable",
            last_attempt_at=now - timedelta(hours=1),
        )
    if stdout is not None:
        stdout.write("Demo webhooks: 1 endpoint, its delivery log.")
