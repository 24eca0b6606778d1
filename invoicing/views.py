"""Public payment endpoints: the Stripe webhook (/payments/stripe/webhook/)."""

import logging

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from invoicing.exceptions import PaymentError
from invoicing.services.stripe_events import stripe_event_handle
from invoicing.stripe.client import StripeSignatureError, webhook_event_construct

logger = logging.getLogger(__name__)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = webhook_event_construct(
            payload=request.body,
            signature=request.headers.get("Stripe-Signature", ""),
        )
    except StripeSignatureError as exc:
        logger.warning("Stripe webhook refused: %s", exc)
        return HttpResponseBadRequest("invalid signature")
    try:
        stripe_event_handle(event=event)
    except (PaymentError, KeyError, ValueError) as exc:
        # A malformed or mismatching event: acknowledged, not retried forever.
        logger.error("Stripe event %s not applied: %s", event.id, exc)
    return HttpResponse("ok")
