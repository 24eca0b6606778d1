"""Structured logs: the request id on every record, and a JSON line formatter.

A logging filter and a context variable rather than structlog: every logger of the
stack (Django, Oscar, Wagtail, WeasyPrint, the task worker) writes through the standard
`logging` module, and a filter reaches all of them with no second pipeline to set up.
"""

import contextlib
import contextvars
import json
import logging

_request_id = contextvars.ContextVar("request_id", default="-")

# Attributes every LogRecord has; anything else on a record came in `extra=`.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
}


def request_id_set(request_id: str) -> None:
    _request_id.set(request_id)


def request_id_clear(**kwargs) -> None:
    _request_id.set("-")


@contextlib.contextmanager
def request_id_bind(request_id: str):
    token = _request_id.set(request_id)
    try:
        yield
    finally:
        _request_id.reset(token)


def request_id_current() -> str:
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Adds `record.request_id` ("-" outside a request)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, the
    exception if any, and the simple values given in `extra=`."""

    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and isinstance(value, str | int | float | bool):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
