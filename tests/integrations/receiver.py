"""A webhook receiver on 127.0.0.1 in a thread, written as a customer's ERP would:
it checks `X-Shop-Signature` against the HMAC-SHA256 of "<timestamp>.<body>" with
its secret (401 when it does not match) and answers with the statuses it is told
to (the last one repeats)."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Receiver:
    def __init__(self):
        self.secret = ""
        self.statuses = [200]
        self.reply_body = b'{"ok": true}'
        self.headers_out: dict[str, str] = {}
        self.requests: list[dict] = []
        self.lock = threading.Lock()
        self.server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/shop"

    def verified(self, headers, body: bytes) -> bool:
        timestamp = headers.get("X-Shop-Timestamp", "")
        expected = hmac.new(
            self.secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(
            headers.get("X-Shop-Signature", ""), f"sha256={expected}"
        )

    def answer(self, headers, path, body: bytes) -> tuple[int, bytes]:
        with self.lock:
            verified = self.verified(headers, body)
            self.requests.append(
                {
                    "path": path,
                    "headers": dict(headers),
                    "body": json.loads(body),
                    "verified": verified,
                }
            )
            if not verified:
                return 401, b"bad signature"
            status = (
                self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
            )
            return status, self.reply_body


def receiver_start() -> Receiver:
    receiver = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            status, reply = receiver.answer(self.headers, self.path, body)
            self.send_response(status)
            for name, value in receiver.headers_out.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *args):
            pass

    receiver.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=receiver.server.serve_forever, daemon=True).start()
    return receiver


def receiver_stop(receiver: Receiver) -> None:
    receiver.server.shutdown()
    receiver.server.server_close()
