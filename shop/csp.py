"""The Content-Security-Policy of every answer (django-csp): the storefront's strict
policy of `CONTENT_SECURITY_POLICY`, the back offices' relaxed one by path, and a
fresh nonce in a page served from the page cache."""

import re

from csp.constants import HEADER
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

from shop.cache import HEADER as PAGE_CACHE_HEADER

STORED_NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


class ShopCSPMiddleware(CSPMiddleware):
    """Below `PageCacheMiddleware`, so a stored page keeps the header that names its
    nonce; a page served from the cache gets a new nonce in its header and in the
    script tags that carried the stored one (only those: a `nonce` attribute that
    was not the stored value stays unknown to the policy)."""

    def process_response(self, request, response):
        if response.get(PAGE_CACHE_HEADER) == "hit" and HEADER in response:
            page_nonce_renew(request, response)
        return super().process_response(request, response)

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.config is not None:
            return parts
        path = request.path_info
        if path.startswith(tuple(settings.SHOP_CSP_BACK_OFFICE_PREFIXES)):
            extra = settings.SHOP_CSP_BACK_OFFICE
        elif response.status_code >= 400:
            # Django's CSRF page and our 400/500 carry their own <style>.
            extra = settings.SHOP_CSP_ERROR_PAGE
        else:
            return parts
        parts.replace = {**extra, **(parts.replace or {})}
        return parts


def page_nonce_renew(request, response) -> None:
    stored = STORED_NONCE.search(response[HEADER])
    del response[HEADER]
    if stored is None or response.streaming:
        return
    old = f'nonce="{stored.group(1)}"'.encode()
    new = f'nonce="{request.csp_nonce}"'.encode()
    response.content = response.content.replace(old, new)
