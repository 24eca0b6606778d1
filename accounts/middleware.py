"""Puts the caller's user, active company and role on the request: from the session,
or, on the JSON API, from an `Authorization: Token <key>` header."""

from django.conf import settings
from django.http import JsonResponse

from accounts.api_auth import ApiAuthError, ApiAuthThrottled, api_authenticate
from accounts.selectors import membership_for_user

SESSION_KEY = "active_company_id"


class ActiveCompanyMiddleware:
    """Sets `request.membership` and `request.company` (both None for visitors and
    for users without a company). Must run after AuthenticationMiddleware and before
    Oscar's BasketMiddleware, whose pricing strategy reads `request.company` — so a
    token caller is priced for the token's company.

    Under `SHOP_API_PREFIX` a request with an `Authorization` header is the token's
    user and company (never a session login); a malformed, unknown or revoked token
    is a JSON 401 before any view runs; too many wrong tokens from one address, a
    JSON 429 with Retry-After, as past the token's own request rate (whose count
    every token answer carries in X-RateLimit-Limit / -Remaining / -Reset)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.api_prefix = getattr(settings, "SHOP_API_PREFIX", "/api/")

    def __call__(self, request):
        request.membership = None
        request.company = None
        if request.path.startswith(self.api_prefix) and request.META.get(
            "HTTP_AUTHORIZATION"
        ):
            try:
                api_authenticate(request)
            except ApiAuthThrottled as error:
                response = JsonResponse({"detail": str(error)}, status=429)
                response["Retry-After"] = str(error.seconds)
                return response
            except ApiAuthError as error:
                return JsonResponse({"detail": str(error)}, status=401)
            response = self.get_response(request)
            rate = getattr(request, "api_rate", None)
            if rate is not None:
                response["X-RateLimit-Limit"] = str(rate.limit)
                response["X-RateLimit-Remaining"] = str(max(rate.remaining, 0))
                response["X-RateLimit-Reset"] = str(rate.reset_seconds)
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = membership_for_user(
                user=user, company_id=request.session.get(SESSION_KEY)
            )
            if membership is not None:
                request.membership = membership
                request.company = membership.company
        return self.get_response(request)
