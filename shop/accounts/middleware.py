"""Puts the signed-in user's active company and role on the request."""

from shop.accounts.selectors import membership_for_user

SESSION_KEY = "active_company_id"


class ActiveCompanyMiddleware:
    """Sets `request.membership` and `request.company` (both None for visitors and
    for users without a company). Must run after AuthenticationMiddleware and before
    Oscar's BasketMiddleware, whose pricing strategy reads `request.company`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        request.company = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            membership = membership_for_user(
                user=user, company_id=request.session.get(SESSION_KEY)
            )
            if membership is not None:
                request.membership = membership
                request.company = membership.company
        return self.get_response(request)
