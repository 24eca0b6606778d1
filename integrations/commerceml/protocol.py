"""The steps of 1C's exchange with a site, by `type` and `mode`:

- `checkauth`: HTTP Basic credentials through `authenticate()` (django-axes counts
  failures); an active staff user with `integrations.exchange_commerceml` is signed
  in to a session, answered `success\\n<cookie name>\\n<cookie value>`. Later calls
  carry that cookie, or Basic credentials again; a session not opened by
  `checkauth` (a dashboard login) is not an exchange session.
- `init`: a new exchange folder; `zip=no`, `file_limit=<bytes>`.
- `file` (POST): the body appended to the named file (catalogue), or the orders file
  from 1C read at once (sale).
- `import` (catalogue): the file applied (`integrations.commerceml.catalog`).
- `query` / `success` (sale): the orders not taken yet as XML / marked taken.

Every answer is text; a refusal is `failure\\n<reason>`: 401/403 for credentials,
413 for a file over the limit, 400 for an unknown type or mode, 405 for a file not
sent by POST, and 200 for a file that cannot be applied (1C reads the reason from
the body). Every step is logged (`ExchangeLog`)."""

import base64
import binascii
import ipaddress
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.utils import translation
from django.utils.translation import gettext as _

from core.client_ip import client_ip
from integrations.commerceml import files
from integrations.commerceml.catalog import exchange_file_import
from integrations.commerceml.models import (
    EXCHANGE_PERMISSION,
    ExchangeKind,
    ExchangeLog,
)
from integrations.commerceml.orders import (
    orders_document,
    orders_mark_exported,
    orders_query,
    sale_file_read,
)
from integrations.commerceml.parsing import CommerceMLError, document_parse

logger = logging.getLogger(__name__)

SESSION_KEY = "commerceml_exchange"  # the exchange folder's token
MODES = {
    ExchangeKind.CATALOG: ("checkauth", "init", "file", "import"),
    ExchangeKind.SALE: ("checkauth", "init", "query", "success", "file", "import"),
}


@dataclass
class Answer:
    body: bytes
    status: int = 200
    content_type: str = "text/plain; charset=utf-8"
    ok: bool = True
    message: str = ""


class Refused(CommerceMLError):
    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def _success(*lines: str) -> Answer:
    text = "\n".join(["success", *lines])
    return Answer(body=f"{text}\n".encode(), message="\n".join(lines))


def _failure(message: str, status: int = 200) -> Answer:
    return Answer(
        body=f"failure\n{message}\n".encode(), status=status, ok=False, message=message
    )


def _basic_credentials(request) -> tuple[str, str] | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _space, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        return None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    return (username[:254], password[:256]) if colon else None


def _may_exchange(user) -> bool:
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and user.has_perm(EXCHANGE_PERMISSION)
    )


def _user_by_password(request):
    """The user of the request's Basic credentials; `Refused` when wrong."""
    credentials = _basic_credentials(request)
    if credentials is None:
        raise Refused(_("Log in with the exchange user's name and password."), 401)
    user = authenticate(request, username=credentials[0], password=credentials[1])
    if user is None:
        raise Refused(_("The user name or password is wrong."), 401)
    if not _may_exchange(user):
        raise Refused(_("This user may not exchange data with 1C."), 403)
    return user


def exchange_user(request):
    """The user of the exchange session `checkauth` opened, else of the request's
    Basic credentials. Any other session (a staff member's dashboard login) does
    not count: a link or form on another site cannot run a step in their name."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and SESSION_KEY in request.session:
        if not _may_exchange(user):
            raise Refused(_("This user may not exchange data with 1C."), 403)
        return user
    return _user_by_password(request)


def _token(request, user) -> str:
    token = request.session.get(SESSION_KEY)
    return token if isinstance(token, str) and token.isalnum() else f"user{user.pk}"


def _checkauth(request, kind) -> Answer:
    user = _user_by_password(request)
    login(request, user)
    request.session[SESSION_KEY] = secrets.token_hex(16)
    request.session.save()
    return _success(settings.SESSION_COOKIE_NAME, request.session.session_key)


def _init(request, kind, user) -> Answer:
    files.exchange_reset(_token(request, user))
    return Answer(
        body=f"zip=no\nfile_limit={files.file_limit()}\n".encode(),
        message=f"file_limit={files.file_limit()}",
    )


def _length(request) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _file(request, kind, user) -> Answer:
    if request.method != "POST":
        raise Refused(_("Send the file's content in a POST request."), 405)
    name = request.GET.get("filename", "")
    token = _token(request, user)
    size = files.chunk_append(
        token=token, name=name, stream=request, length=_length(request)
    )
    if kind == ExchangeKind.SALE:
        root = document_parse(files.file_read(token=token, name=name))
        return _success(sale_file_read(root=root).summary())
    return _success(
        _("%(name)s: %(size)s bytes received.") % {"name": name, "size": size}
    )


def _import(request, kind, user) -> Answer:
    name = request.GET.get("filename", "")
    data = files.file_read(token=_token(request, user), name=name)
    root = document_parse(data)
    if kind == ExchangeKind.SALE:
        return _success(sale_file_read(root=root).summary())
    if name.startswith(files.IMAGES_FOLDER + "/"):
        raise CommerceMLError(_("Images are not imported through mode=import."))
    return _success(exchange_file_import(root=root).summary())


def _query(request, kind, user) -> Answer:
    orders = orders_query()
    return Answer(
        body=orders_document(orders=orders),
        content_type="application/xml; charset=utf-8",
        message=_("Orders sent: %(n)s") % {"n": len(orders)},
    )


def _order_success(request, kind, user) -> Answer:
    count = orders_mark_exported()
    return _success(_("Orders taken by 1C: %(n)s") % {"n": count})


STEPS = {
    "init": _init,
    "file": _file,
    "import": _import,
    "query": _query,
    "success": _order_success,
}


def _step(request, kind: str, mode: str):
    """The answer and the user it was for."""
    if kind not in MODES:
        raise Refused(
            _("Unknown exchange type %(type)s.") % {"type": repr(kind[:40])}, 400
        )
    if mode not in MODES[kind]:
        raise Refused(_("Unknown mode %(mode)s.") % {"mode": repr(mode[:40])}, 400)
    if mode == "checkauth":
        answer = _checkauth(request, kind)
        return answer, request.user
    user = exchange_user(request)
    return STEPS[mode](request, kind, user), user


def exchange_answer(request) -> Answer:
    """Run the step the request asks for; log it; never raise for bad input."""
    kind = request.GET.get("type", "")
    mode = request.GET.get("mode", "")
    user = None
    with translation.override(_language(request)):
        try:
            answer, user = _step(request, kind, mode)
        except files.FileTooLarge as exc:
            answer = _failure(str(exc), 413)
        except Refused as exc:
            answer = _failure(str(exc), exc.status)
        except CommerceMLError as exc:
            answer = _failure(str(exc))
    _log(request, user, kind, mode, answer)
    return answer


def _language(request) -> str:
    """The signed-in exchange user's language, else the request's."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated and getattr(user, "language", ""):
        return user.language
    return translation.get_language()


def _log(request, user, kind: str, mode: str, answer: Answer) -> None:
    ExchangeLog.objects.create(
        user=user if user is not None and user.is_authenticated else None,
        kind=kind[:16],
        mode=mode[:16],
        filename=request.GET.get("filename", "")[:255],
        ok=answer.ok,
        message=answer.message[:4000],
        address=_address(request),
    )
    log = logger.info if answer.ok else logger.warning
    log("1C exchange %s/%s: %s", kind[:16], mode[:16], answer.message[:200])


def _address(request) -> str | None:
    try:
        return str(ipaddress.ip_address(client_ip(request)))
    except ValueError:
        return None
