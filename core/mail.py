"""E-mail, sent by a background task from plain data, once per key.

Callers render the subject and body (in the reader's language) where the event
happens and call `mail_enqueue` with a key naming the event (`"lead:42"`); the task
sends it after the commit. The key is recorded in `SentMail` in the transaction that
sends, so the same mail enqueued twice, retried or run by two workers goes out once
(a crash between the SMTP hand-over and the commit can still repeat it: at least
once, never lost).

Attachments travel as plain data too (`MailAttachment`: a name, the content in
base64, a type), so the task's arguments stay JSON; keep them small (a document or
two, `ATTACHMENTS_MAX_BYTES` in all)."""

import base64
import re
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction

from core.models import SentMail
from core.tasks import background_task, enqueue_on_commit

# What ends a header line (other spacing, such as a no-break space, stays).
_LINE_BREAKS = re.compile(r"[ \t]*[\r\n]+[ \t]*")
KEY_LENGTH = SentMail._meta.get_field("key").max_length
ATTACHMENTS_MAX_BYTES = 10 * 1024 * 1024


def mail_attachment(*, filename: str, content: bytes, mimetype: str) -> dict:
    """An attachment as `mail_enqueue` takes it (JSON-safe)."""
    return {
        "filename": filename,
        "content": base64.b64encode(content).decode("ascii"),
        "mimetype": mimetype,
    }


@background_task()
def mail_send(
    *,
    key: str,
    subject: str,
    body: str,
    to: list[str],
    reply_to: list[str] | None = None,
    from_email: str = "",
    attachments: list[dict] | None = None,
) -> bool:
    """Send the mail unless its key was sent already; True when it was sent now."""
    with transaction.atomic():
        _record, created = SentMail.objects.select_for_update().get_or_create(
            key=key, defaults={"to": ", ".join(to), "subject": subject[:255]}
        )
        if not created:
            return False
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=from_email or settings.DEFAULT_FROM_EMAIL,
            to=to,
            reply_to=reply_to or None,
        )
        for item in attachments or ():
            message.attach(
                item["filename"], base64.b64decode(item["content"]), item["mimetype"]
            )
        message.send()
    return True


def subject_line(subject) -> str:
    """The subject on one line: a line break in a header would be refused by the
    mail library at send time (header injection), after the caller has gone."""
    return _LINE_BREAKS.sub(" ", str(subject)).strip()


def mail_enqueue(
    *,
    key: str | None,
    subject: str,
    body: str,
    to: Iterable[str],
    reply_to: Iterable[str] = (),
    from_email: str = "",
    attachments: Iterable[dict] = (),
) -> str | None:
    """Send this mail after the current transaction commits; the key names the event
    (None: a new one, for mails that have no natural key, such as a message typed by
    a person). `attachments` are `mail_attachment`s, `ATTACHMENTS_MAX_BYTES` in all
    (a ValueError beyond). Returns the key, or None when there is nobody to send
    to."""
    attachments = list(attachments)
    if sum(len(a["content"]) * 3 // 4 for a in attachments) > ATTACHMENTS_MAX_BYTES:
        raise ValueError("attachments too large to send by e-mail")
    recipients = [address for address in to if address]
    if not recipients:
        return None
    key = (key or f"mail:{uuid.uuid4().hex}")[:KEY_LENGTH]
    enqueue_on_commit(
        mail_send,
        key=key,
        subject=subject_line(subject),
        body=str(body),
        to=recipients,
        reply_to=list(reply_to),
        from_email=from_email,
        **({"attachments": attachments} if attachments else {}),
    )
    return key
