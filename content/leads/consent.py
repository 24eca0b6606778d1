"""What the short forms ask the person to agree to (152-FZ): the editors' text of
`LeadSettings` and its privacy-policy link, else the site's standard text.

The form is in every page's footer, so the setting is read from the cache (per
site, dropped when an editor saves it: `content.leads.receivers`), not from the
database on every page."""

from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _
from wagtail.models import Site

from content.models import LeadSettings

CONSENT_TEXT_MAX = 2000
CACHE_SECONDS = 10 * 60
_DEFAULT_SITE = "default"


@dataclass(frozen=True)
class Consent:
    text: str
    policy_url: str = ""


def consent_default_text() -> str:
    return _(
        "I agree to the processing of my personal data (name, phone, e-mail) to "
        "answer my request, under Federal Law No. 152-FZ."
    )


def _cache_key(site_key) -> str:
    return f"content.lead_consent:{site_key}"


def consent_cache_clear(*, site_id: int) -> None:
    cache.delete_many([_cache_key(site_id), _cache_key(_DEFAULT_SITE)])


def _policy_url_safe(url: str) -> str:
    """A path on this site or an http(s) address; anything else is not linked."""
    url = (url or "").strip()
    if url.startswith("/") and not url.startswith("//"):
        return url
    return url if url.startswith(("https://", "http://")) else ""


def _stored(site: Site | None) -> tuple[str, str]:
    if site is None:
        return "", ""
    values = (
        LeadSettings.objects.filter(site=site)
        .values_list("consent_text", "privacy_policy_url")
        .first()
    )
    return values or ("", "")


def lead_consent(*, request=None) -> Consent:
    """The consent of the request's site (else the default site's), in the active
    language when the editors left the text blank."""
    site = Site.find_for_request(request) if request is not None else None
    key = _cache_key(site.pk if site is not None else _DEFAULT_SITE)
    stored = cache.get(key)
    if stored is None:
        if site is None:
            site = Site.objects.filter(is_default_site=True).first()
        stored = _stored(site)
        cache.set(key, stored, CACHE_SECONDS)
    text, url = stored
    return Consent(
        text=text.strip()[:CONSENT_TEXT_MAX] or consent_default_text(),
        policy_url=_policy_url_safe(url),
    )
