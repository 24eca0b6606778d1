"""The only module that imports `stripe`: PaymentIntents, refunds, webhook events.

Returns plain `StripeObject` data (id, status, amount, metadata...) or raises
`StripeUnavailable` / `StripeSignatureError`; every write carries the caller's
deterministic idempotency key, so a retried request cannot charge twice."""

from dataclasses import dataclass, field

import stripe
from django.conf import settings

WEBHOOK_TOLERANCE_SECONDS = 300


class StripeUnavailable(Exception):
    """Stripe could not be reached or refused the request (not a card decline)."""


class StripeSignatureError(Exception):
    """A webhook whose signature or timestamp does not verify."""


@dataclass(frozen=True)
class Intent:
    id: str
    status: str
    amount: int
    currency: str
    metadata: dict = field(default_factory=dict)
    client_secret: str = ""
    error_message: str = ""
    error_code: str = ""


@dataclass(frozen=True)
class RefundResult:
    id: str
    status: str
    amount: int


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    created: int
    object: dict


def _client() -> stripe.StripeClient:
    options = {"max_network_retries": 2}
    if settings.STRIPE_API_BASE:
        options["base_addresses"] = {"api": settings.STRIPE_API_BASE}
    return stripe.StripeClient(settings.STRIPE_SECRET_KEY, **options)


def _plain(data) -> dict:
    """SDK objects are not dicts (stripe 16); error bodies already are."""
    return data.to_dict() if hasattr(data, "to_dict") else dict(data)


def intent_from(data, error_message: str = "") -> Intent:
    """Our Intent from a PaymentIntent: an SDK object, an API error's body or a
    webhook event's object (the one place this mapping is written)."""
    data = _plain(data)
    last_error = data.get("last_payment_error") or {}
    return Intent(
        id=data["id"],
        status=data["status"],
        amount=int(data["amount"]),
        currency=str(data["currency"]).upper(),
        metadata=dict(data.get("metadata") or {}),
        client_secret=data.get("client_secret") or "",
        error_message=error_message or last_error.get("message") or "",
        error_code=str(last_error.get("code") or ""),
    )


def payment_intent_create(
    *,
    amount_minor: int,
    currency: str,
    idempotency_key: str,
    metadata: dict,
    description: str,
) -> Intent:
    try:
        data = _client().v1.payment_intents.create(
            params={
                "amount": amount_minor,
                "currency": currency.lower(),
                "metadata": metadata,
                "description": description,
                "payment_method_types": ["card"],
            },
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc.user_message or exc)) from exc
    return intent_from(data)


def payment_intent_confirm(
    *, intent_id: str, payment_method: str, idempotency_key: str
) -> Intent:
    """Attach the payment method, then confirm on the server. A declined card comes
    back as an Intent that still requires a payment method, with Stripe's message;
    a card whose bank asks for 3-D Secure comes back `requires_action`, for
    Stripe.js's `handleNextAction` (`use_stripe_sdk`) on the buyer's page."""
    client = _client().v1.payment_intents
    try:
        client.update(
            intent_id,
            params={"payment_method": payment_method},
            options={"idempotency_key": f"{idempotency_key}-method"},
        )
        data = client.confirm(
            intent_id,
            params={"use_stripe_sdk": True},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.CardError as exc:
        intent = (exc.json_body or {}).get("error", {}).get("payment_intent")
        if not intent:
            raise StripeUnavailable(str(exc.user_message or exc)) from exc
        return intent_from(intent, error_message=str(exc.user_message or ""))
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc.user_message or exc)) from exc
    return intent_from(data)


def payment_intent_retrieve(*, intent_id: str) -> Intent:
    try:
        return intent_from(_client().v1.payment_intents.retrieve(intent_id))
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc.user_message or exc)) from exc


def refund_create(
    *, payment_intent_id: str, amount_minor: int, idempotency_key: str
) -> RefundResult:
    try:
        data = _client().v1.refunds.create(
            params={"payment_intent": payment_intent_id, "amount": amount_minor},
            options={"idempotency_key": idempotency_key},
        )
    except stripe.StripeError as exc:
        raise StripeUnavailable(str(exc.user_message or exc)) from exc
    return RefundResult(
        id=data["id"], status=data["status"], amount=int(data["amount"])
    )


def webhook_event_construct(*, payload: bytes, signature: str) -> Event:
    """Verify the signature over the raw body (and its timestamp, 5 minutes)."""
    if not settings.STRIPE_WEBHOOK_SECRET:
        raise StripeSignatureError("no webhook secret configured")
    try:
        event = stripe.Webhook.construct_event(
            payload,
            signature,
            settings.STRIPE_WEBHOOK_SECRET,
            tolerance=WEBHOOK_TOLERANCE_SECONDS,
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        raise StripeSignatureError(str(exc)) from exc
    data = _plain(event)
    return Event(
        id=data["id"],
        type=data["type"],
        created=int(data.get("created") or 0),
        object=dict(data.get("data", {}).get("object") or {}),
    )
