"""Where a lead came from: the first touch (a campaign or outside visit, kept in a
signed cookie by `FirstTouchMiddleware`) and the last touch (the page the form was
sent from). A touch is a small dict of known keys with bounded string values."""

from urllib.parse import parse_qs, urlsplit

from django.core import signing
from django.core.exceptions import DisallowedHost
from django.utils import timezone

COOKIE_NAME = "shop_first_touch"
COOKIE_MAX_AGE = 90 * 24 * 60 * 60
_SALT = "content.touches.first"

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content")
# Each known key and its longest value; anything else is dropped.
TOUCH_LIMITS = {
    **dict.fromkeys(UTM_KEYS, 100),
    "referrer": 500,
    "landing_url": 500,
    "at": 32,
}


def _clip(value) -> str:
    """A printable one-line string (control characters out)."""
    text = value if isinstance(value, str) else ""
    return "".join(char for char in text if char.isprintable()).strip()


def touch_clean(data) -> dict:
    """Only the known keys, only non-empty strings, each cut to its limit."""
    if not isinstance(data, dict):
        return {}
    touch = {}
    for key, limit in TOUCH_LIMITS.items():
        value = _clip(data.get(key))[:limit]
        if value:
            touch[key] = value
    return touch


def _host(request) -> str:
    try:
        return request.get_host().split(":")[0].lower()
    except DisallowedHost:
        return ""


def _external_referrer(request) -> str:
    referrer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referrer)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ""
    return referrer if parts.hostname.lower() != _host(request) else ""


def _utm(query: str) -> dict:
    values = parse_qs(query)
    return {key: values[key][0] for key in UTM_KEYS if values.get(key)}


def touch_from_request(request) -> dict:
    """The touch a GET request makes: its UTM parameters, an outside referrer and
    the URL landed on; empty when it has neither UTM nor an outside referrer."""
    utm = _utm(request.META.get("QUERY_STRING", ""))
    referrer = _external_referrer(request)
    if not utm and not referrer:
        return {}
    return touch_clean(
        {
            **utm,
            "referrer": referrer,
            "landing_url": request.get_full_path(),
            "at": timezone.now().isoformat(timespec="seconds"),
        }
    )


def last_touch_from_submission(request, *, page: str) -> dict:
    """The page the form was sent from: the same-site Referer of the POST (it has
    the page's query, so its UTM), else the form's own `page` field."""
    referrer = request.META.get("HTTP_REFERER", "")
    parts = urlsplit(referrer)
    if parts.hostname and parts.hostname.lower() == _host(request):
        url = parts.path + (f"?{parts.query}" if parts.query else "")
        utm = _utm(parts.query)
    else:
        url, utm = page, {}
    return touch_clean(
        {**utm, "landing_url": url, "at": timezone.now().isoformat(timespec="seconds")}
    )


def first_touch_from_cookie(request) -> dict:
    raw = request.COOKIES.get(COOKIE_NAME)
    if not raw:
        return {}
    try:
        data = signing.loads(raw, salt=_SALT, max_age=COOKIE_MAX_AGE)
    except signing.BadSignature:
        return {}
    return touch_clean(data)


class FirstTouchMiddleware:
    """Sets the first-touch cookie on the first GET with UTM parameters or an outside
    referrer. It sits above `shop.cache.PageCacheMiddleware`: the page cache has
    already stored (or served) the page when the cookie is added here, so cached
    pages stay free of it and a page served from the cache still records the touch."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "GET"
            and response.status_code < 400
            and COOKIE_NAME not in request.COOKIES
        ):
            touch = touch_from_request(request)
            if touch:
                response.set_cookie(
                    COOKIE_NAME,
                    signing.dumps(touch, salt=_SALT, compress=True),
                    max_age=COOKIE_MAX_AGE,
                    secure=request.is_secure(),
                    httponly=True,
                    samesite="Lax",
                )
        return response
