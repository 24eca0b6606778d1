"""Stripe webhook events: each event id is recorded once, then applied."""

from django.db import IntegrityError, transaction

from invoicing.models import StripeEvent
from invoicing.services.payments import (
    card_payment_apply_intent,
    refund_sync_from_charge,
)
from invoicing.stripe.client import Event, intent_from

INTENT_EVENTS = {
    "payment_intent.succeeded",
    "payment_intent.payment_failed",
    "payment_intent.canceled",
}


@transaction.atomic
def stripe_event_handle(*, event: Event) -> bool:
    """Apply a verified event once; a replayed event id returns False and changes
    nothing. The record and the effect commit together."""
    try:
        with transaction.atomic():
            StripeEvent.objects.create(
                event_id=event.id, type=event.type, object_id=event.object.get("id", "")
            )
    except IntegrityError:
        return False
    if event.type in INTENT_EVENTS:
        card_payment_apply_intent(intent=intent_from(event.object))
    elif event.type == "charge.refunded":
        refund_sync_from_charge(charge=event.object)
    return True
