"""Structured logs: every record written during a request carries its id, the
response names it, and the JSON formatter writes one object per line."""

import json
import logging
import sys

import pytest

from shop.logs import JsonFormatter, RequestIdFilter, request_id_bind

pytestmark = pytest.mark.django_db


class Records(logging.Handler):
    def __init__(self):
        super().__init__()
        self.addFilter(RequestIdFilter())
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture
def request_log():
    handler = Records()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.records
    logger.removeHandler(handler)


def test_a_request_gets_an_id_and_its_log_lines_carry_it(client, request_log):
    response = client.get("/no-such-page/")

    request_id = response["X-Request-ID"]
    assert len(request_id) == 32 and int(request_id, 16) >= 0
    assert [(r.getMessage(), r.request_id) for r in request_log] == [
        ("Not Found: /no-such-page/", request_id)
    ]


def test_the_load_balancers_id_is_kept_and_a_bad_one_replaced(client):
    kept = client.get("/health/", HTTP_X_REQUEST_ID="lb-2f1c9a77-0001")
    assert kept["X-Request-ID"] == "lb-2f1c9a77-0001"
    for bad in ("short", "x" * 200, "evil\nSet-Cookie: a=b", "тест-тест-тест"):
        replaced = client.get("/health/", HTTP_X_REQUEST_ID=bad)
        assert replaced["X-Request-ID"] != bad
        assert len(replaced["X-Request-ID"]) == 32


def test_outside_a_request_the_id_is_a_dash():
    record = logging.LogRecord("shop", logging.INFO, __file__, 1, "hello", (), None)
    RequestIdFilter().filter(record)
    assert record.request_id == "-"


def test_json_lines_hold_the_message_the_id_the_extras_and_the_exception():
    logger = logging.getLogger("shop.test")
    try:
        raise ValueError("boom")
    except ValueError:
        record = logger.makeRecord(
            "shop.test",
            logging.ERROR,
            __file__,
            1,
            "invoice %s failed",
            ("INV-7",),
            exc_info=sys.exc_info(),
            extra={"invoice_id": 7, "request": object()},
        )
    with request_id_bind("abc123def456"):
        RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)

    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == "invoice INV-7 failed"
    assert entry["level"] == "ERROR"
    assert entry["logger"] == "shop.test"
    assert entry["request_id"] == "abc123def456"
    assert entry["invoice_id"] == 7
    assert "request" not in entry
    assert entry["exception"].splitlines()[-1] == "ValueError: boom"
