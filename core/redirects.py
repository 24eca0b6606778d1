"""Where a `next` parameter may send the browser: a path of this site, nothing else."""

from django.utils.http import url_has_allowed_host_and_scheme


def next_path(request, value: str) -> str:
    """`value` when it is a path on this site, else "". Only a path: `redirect()`
    would take a bare word for a view name and fail on it, and an outside address
    would make the shop an open redirect."""
    if not value.startswith("/") or value.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    return value
