"""The cabinet's one way of showing a refused action: an `ActionRefused` from a view
or the services it calls becomes a 403 page that says why (shared by the feature
packages, which do not import each other)."""

import functools

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.models import ActionRefused


def refusal_shown(view):
    """Signed in (else the login page); an `ActionRefused` from the view or the
    services it calls becomes a 403 page with the reason."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except ActionRefused as exc:
            return render(
                request,
                "cabinet/invoices/refused.html",
                {"reason": exc.message},
                status=403,
            )

    return login_required(wrapper)
