"""A local HTTP server that answers like an Elasticsearch node, with canned answers.

No cluster runs on these machines; this lets the real client (connection pool, product
check, bulk helper) talk to something. `FakeCluster(answer)` serves on 127.0.0.1;
`answer(request)` returns (status, JSON body) for each `Request` (method, path, parsed
body: a dict for JSON, a list of dicts for the NDJSON of `_bulk`).
"""

import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


@dataclass
class Request:
    method: str
    path: str
    body: object
    client_port: int  # the client's end of the connection (one port = one connection)


def search_answer(hits, *, total=None, aggregations=None):
    """A `_search` response body: hits as (id, [named queries])."""
    return {
        "took": 1,
        "timed_out": False,
        "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0},
        "hits": {
            "total": {"value": len(hits) if total is None else total, "relation": "eq"},
            "max_score": None,
            "hits": [
                {
                    "_index": "shop-products-1",
                    "_id": str(pk),
                    "_score": None,
                    "matched_queries": names,
                }
                for pk, names in hits
            ],  # fmt: skip
        },
        "aggregations": aggregations
        or {
            "category": {"buckets": []},
            "manufacturer": {"buckets": []},
            "in_stock": {"doc_count": 0},
        },
    }


def bulk_actions(lines: list[dict]) -> list[tuple[str, dict, dict | None]]:
    """The NDJSON of `_bulk` as (op, metadata, document or None)."""
    actions, i = [], 0
    while i < len(lines):
        (op, meta), *_ = lines[i].items()
        has_source = op in ("index", "create", "update")
        actions.append((op, meta, lines[i + 1] if has_source else None))
        i += 2 if has_source else 1
    return actions


class FakeCluster:
    def __init__(self, answer):
        self.answer = answer
        self.requests: list[Request] = []
        cluster = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as a node answers

            def _serve(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                path = urlsplit(self.path).path
                if path.endswith("/_bulk"):
                    body = [json.loads(line) for line in raw.splitlines() if line]
                else:
                    body = json.loads(raw) if raw else None
                request = Request(self.command, path, body, self.client_address[1])
                cluster.requests.append(request)
                status, answer = cluster.answer(request)
                payload = b"" if answer is None else json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("X-Elastic-Product", "Elasticsearch")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve

            def log_message(self, *args):  # quiet
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
