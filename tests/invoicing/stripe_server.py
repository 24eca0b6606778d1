"""A local HTTP server that answers the Stripe API calls the shop makes
(/v1/payment_intents, /v1/refunds) the way Stripe does, and signs webhooks.

Test payment methods as Stripe names them: `pm_card_visa` succeeds, DECLINED is
declined, THREE_D_SECURE (card 4000 0025 0000 3155) comes back `requires_action`
until the buyer's bank answers — `authenticate()` plays that part, the way
localstripe's `/_authenticate` does."""

import hashlib
import hmac
import itertools
import json
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode

DECLINED = "pm_card_chargeDeclined"
THREE_D_SECURE = "pm_card_authenticationRequiredOnSetup"
AUTHENTICATION_FAILED = (
    "We are unable to authenticate your payment method. Please choose a different "
    "payment method and try again."
)


def _form(body: str) -> dict:
    """Stripe's form encoding: metadata[key]=value becomes a nested dict."""
    data: dict = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        if "[" in key:
            outer, inner = key.split("[", 1)
            data.setdefault(outer, {})[inner.rstrip("]")] = value
        else:
            data[key] = value
    return data


class FakeStripe:
    def __init__(self):
        self.intents: dict[str, dict] = {}
        self.refunds: dict[str, dict] = {}
        self.on_refund = None
        self.requests: list[tuple[str, str, str, dict]] = []  # method, path, key, body
        self._ids = itertools.count(1)
        self._replies: dict[str, tuple[int, dict]] = {}
        self.lock = threading.Lock()

    def handle(self, method: str, path: str, key: str, body: dict) -> tuple[int, dict]:
        with self.lock:
            self.requests.append((method, path, key, body))
            if key and key in self._replies:  # Stripe replays an idempotent request
                return self._replies[key]
            reply = self._route(method, path, body)
            if key:
                self._replies[key] = reply
            return reply

    def _route(self, method, path, body):
        parts = path.strip("/").split("/")
        if parts[:2] == ["v1", "payment_intents"]:
            if method == "POST" and len(parts) == 2:
                return self._intent_create(body)
            intent = self.intents.get(parts[2]) if len(parts) > 2 else None
            if intent is None:
                return 404, {
                    "error": {
                        "type": "invalid_request_error",
                        "message": "No such payment_intent",
                    }
                }
            if method == "GET" and len(parts) == 3:
                return 200, intent
            if method == "POST" and len(parts) == 3:
                return self._intent_update(intent, body)
            if method == "POST" and parts[3:] == ["confirm"]:
                return self._intent_confirm(intent, body)
            if method == "POST" and parts[3:] == ["_authenticate"]:
                return self._intent_authenticate(intent, body)
        if parts == ["v1", "refunds"] and method == "POST":
            return self._refund_create(body)
        return 404, {"error": {"type": "invalid_request_error", "message": path}}

    def _intent_create(self, body):
        n = next(self._ids)
        intent = {
            "id": f"pi_test_{n}",
            "object": "payment_intent",
            "amount": int(body["amount"]),
            "currency": body["currency"],
            "status": "requires_payment_method",
            "payment_method": None,
            "next_action": None,
            "client_secret": f"pi_test_{n}_secret_x",
            "metadata": body.get("metadata", {}),
            "description": body.get("description"),
            "last_payment_error": None,
            "created": int(time.time()),
            "livemode": False,
        }
        self.intents[intent["id"]] = intent
        return 200, intent

    def _intent_update(self, intent, body):
        if "payment_method" in body:
            intent.update(
                payment_method=body["payment_method"],
                status="requires_confirmation",
                next_action=None,
            )
        return 200, intent

    def _intent_confirm(self, intent, body):
        method = body.get("payment_method") or intent.get("payment_method")
        if not method:
            return 400, {
                "error": {
                    "type": "invalid_request_error",
                    "message": "You must provide a payment method.",
                }
            }
        intent["payment_method"] = method
        if method == THREE_D_SECURE:
            intent.update(
                status="requires_action",
                last_payment_error=None,
                next_action={
                    "type": "use_stripe_sdk",
                    "use_stripe_sdk": {"type": "three_d_secure_redirect"},
                },
            )
            return 200, intent
        if method == DECLINED:
            intent.update(
                status="requires_payment_method",
                payment_method=None,
                last_payment_error={
                    "code": "card_declined",
                    "message": "Your card was declined.",
                },
            )
            return 402, {
                "error": {
                    "type": "card_error",
                    "code": "card_declined",
                    "decline_code": "generic_decline",
                    "message": "Your card was declined.",
                    "payment_intent": intent,
                }
            }
        intent.update(status="succeeded", last_payment_error=None)
        return 200, intent

    def _intent_authenticate(self, intent, body):
        """The bank's answer to the 3-D Secure challenge Stripe.js showed."""
        if body.get("client_secret") != intent["client_secret"]:
            return 401, {"error": {"type": "invalid_request_error"}}
        if intent["status"] != "requires_action":
            return 400, {"error": {"type": "invalid_request_error"}}
        intent["next_action"] = None
        if body.get("success") == "true":
            intent.update(status="succeeded", last_payment_error=None)
        else:
            intent.update(
                status="requires_payment_method",
                payment_method=None,
                last_payment_error={
                    "code": "payment_intent_authentication_failure",
                    "message": AUTHENTICATION_FAILED,
                },
            )
        return 200, intent

    def _refund_create(self, body):
        if self.on_refund is not None:  # a test looks at the shop while Stripe works
            self.on_refund(body)
        n = next(self._ids)
        refund = {
            "id": f"re_test_{n}",
            "object": "refund",
            "amount": int(body["amount"]),
            "payment_intent": body["payment_intent"],
            "status": "succeeded",
            "currency": "rub",
        }
        self.refunds[refund["id"]] = refund
        return 200, refund


def serve(fake: FakeStripe) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _reply(self, method):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            path, _sep, query = self.path.partition("?")
            status, data = fake.handle(
                method,
                path,
                self.headers.get("Idempotency-Key", ""),
                _form(raw or query),
            )
            payload = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("Request-Id", f"req_{len(fake.requests)}")
            self.end_headers()
            self.wfile.write(payload)

        def do_GET(self):  # noqa: N802
            self._reply("GET")

        def do_POST(self):  # noqa: N802
            self._reply("POST")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def webhook_signature(payload: bytes, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signed = f"{timestamp}.{payload.decode()}".encode()
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def event_payload(*, event_id: str, type: str, obj: dict) -> bytes:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": type,
            "created": int(time.time()),
            "api_version": "2025-01-01",
            "livemode": False,
            "data": {"object": obj},
        }
    ).encode()


def intent_authenticate(base: str, intent: str, client_secret: str, success: bool):
    """Answer a 3-D Secure challenge as the buyer's bank would (the fake above and
    localstripe both take `POST /v1/payment_intents/<id>/_authenticate`)."""
    data = urlencode({"client_secret": client_secret, "success": str(success).lower()})
    request = urllib.request.Request(
        f"{base}/v1/payment_intents/{intent}/_authenticate", data=data.encode()
    )
    request.add_header("Authorization", "Bearer sk_test_local")
    with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310 (local)
        return json.loads(reply.read())
