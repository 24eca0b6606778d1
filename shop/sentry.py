"""Sentry (sentry-sdk), started by the production settings only when SENTRY_DSN is
set; each event carries the request id of the log lines (`shop.logs`)."""

import sentry_sdk
from sentry_sdk.integrations.django import DjangoIntegration

from shop.logs import request_id_current


def _with_request_id(event, hint):
    event.setdefault("tags", {})["request_id"] = request_id_current()
    return event


def sentry_init(*, dsn: str, environment: str, release: str, traces_sample_rate):
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release or None,
        traces_sample_rate=traces_sample_rate,
        send_default_pii=False,  # no cookies, no user e-mails, no request bodies
        integrations=[DjangoIntegration()],
        before_send=_with_request_id,
    )
