"""The punchout of a browser session, whichever door opened it (SAP OCI or cXML):
where the basket goes back to, for which company, and what the procurement system
asked us to echo. The basket template reads `request.session.punchout` (its `kind`
picks the transfer URL) and `PunchoutCheckoutGuard` closes the shop's checkout
while one is open."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.contrib.auth import login
from django.utils import timezone

from accounts.middleware import SESSION_KEY as ACTIVE_COMPANY

SESSION_KEY = "punchout"  # read by the basket template
# Sessions opened before cXML existed kept an OCI punchout here; the checkout guard
# moves them to SESSION_KEY on their next request.
LEGACY_SESSION_KEY = "punchout_oci"
RETURN_URL_MAX = 2048
OCI = "oci"
CXML = "cxml"
KINDS = (OCI, CXML)


class PunchoutError(Exception):
    """The punchout cannot start or go on; the message is safe to show."""


@dataclass(frozen=True)
class PunchoutSession:
    """`return_url` is OCI's HOOK_URL or cXML's BrowserFormPost URL. The cXML
    fields are empty for OCI: the BuyerCookie to echo, the two parties'
    credentials as (domain, identity) and the language of the setup request."""

    kind: str
    return_url: str
    company_id: int
    target: str = "_top"
    buyer_cookie: str = ""
    buyer: tuple[str, str] = ("", "")
    supplier: tuple[str, str] = ("", "")
    language: str = ""

    @property
    def return_origin(self) -> str:
        parts = urlsplit(self.return_url)
        return f"{parts.scheme}://{parts.netloc}"

    def as_data(self) -> dict:
        return {
            "kind": self.kind,
            "return_url": self.return_url,
            "company_id": self.company_id,
            "target": self.target,
            "buyer_cookie": self.buyer_cookie,
            "buyer": list(self.buyer),
            "supplier": list(self.supplier),
            "language": self.language,
            "started": timezone.now().isoformat(),
        }

    @classmethod
    def from_data(cls, data: dict) -> "PunchoutSession":
        return cls(
            kind=data["kind"],
            return_url=data["return_url"],
            company_id=data["company_id"],
            target=data.get("target") or "_top",
            buyer_cookie=data.get("buyer_cookie") or "",
            buyer=tuple(data.get("buyer") or ("", "")),
            supplier=tuple(data.get("supplier") or ("", "")),
            language=data.get("language") or "",
        )


def return_url_clean(raw: str) -> str | None:
    """The address the basket goes back to: an absolute http(s) URL of at most
    RETURN_URL_MAX characters without spaces or control characters; else None."""
    url = (raw or "").strip()
    parts = urlsplit(url)
    if (
        not url
        or len(url) > RETURN_URL_MAX
        or parts.scheme not in ("http", "https")
        or not parts.netloc
        or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url)
    ):
        return None
    return url


def punchout_session_open(
    request, *, user, membership, session: PunchoutSession, backend: str | None = None
) -> None:
    """Log the procurement system's user in for the session's company (a new user's
    login starts a new session: Django's `login` flushes it) and remember the
    punchout."""
    login(request, user, backend=backend)
    request.session[ACTIVE_COMPANY] = membership.company_id
    request.session[SESSION_KEY] = session.as_data()


def punchout_session(request, *, kind: str) -> PunchoutSession | None:
    """The punchout of this browser session, if one of `kind` is open for the
    request's company (a user who switched company has left it)."""
    data = request.session.get(SESSION_KEY)
    if not isinstance(data, dict) or request.company is None:
        return None
    if data.get("kind") != kind or data.get("company_id") != request.company.pk:
        return None
    return PunchoutSession.from_data(data)


def punchout_session_legacy_move(session) -> None:
    """An OCI punchout opened before sessions had a kind, under the new key."""
    data = session.get(LEGACY_SESSION_KEY)
    if isinstance(data, dict) and "hook_url" in data:
        session[SESSION_KEY] = {
            "kind": OCI,
            "return_url": data["hook_url"],
            "company_id": data.get("company_id"),
            "target": data.get("target") or "_top",
            "started": data.get("started", ""),
        }
    session.pop(LEGACY_SESSION_KEY, None)
