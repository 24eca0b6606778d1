"""The company's API tokens (/cabinet/api-tokens/), for its administrators: the
list with scopes and last use, a form to create one (its key shown once, on the
page the creation redirects to, never again), and revoke. Everything goes through
`accounts.api_tokens`, which checks `manage_team` and scopes by company; another
company's token is a 404."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from accounts.api_tokens import (
    ApiTokenError,
    api_token_create,
    api_token_revoke,
    api_tokens_for_company,
)
from accounts.models import ApiScope, ApiToken, Membership


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=64,
        help_text=gettext_lazy("Where the token is used, e.g. “1C ERP”."),
    )
    member = forms.TypedChoiceField(
        label=gettext_lazy("Acts as"), coerce=int, empty_value=None
    )
    scopes = forms.MultipleChoiceField(
        label=gettext_lazy("May also"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (
                ApiScope.ORDER.value,
                gettext_lazy("order: basket, reservations, approvals"),
            ),
            (ApiScope.FINANCE.value, gettext_lazy("finance: invoices and documents")),
        ],
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        members = (
            Membership.objects.active()
            .filter(company=company)
            .select_related("user")
            .order_by("user__last_name", "user__first_name", "user__email")
        )
        self.fields["member"].choices = [
            (m.pk, f"{m.user.get_full_name() or m.user.email} · {m.get_role_display()}")
            for m in members
        ]


def _admin(request) -> Membership:
    membership = request.membership
    if membership is None or not membership.can("manage_team"):
        raise PermissionDenied(
            _("Only an administrator of the company manages its API tokens.")
        )
    return membership


SESSION_KEY = "cabinet.apitokens.new"


@login_required
@require_http_methods(["GET", "POST"])
def token_index(request):
    """GET: the list and the form, and — once, right after it was made — the new
    token's key. POST: create, then redirect (a reload never makes a second token);
    the key waits in the session for that one GET, which removes it."""
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = _admin(request)
    form = TokenForm(company=membership.company, initial={"member": membership.pk})
    if request.method == "POST":
        form = TokenForm(request.POST, company=membership.company)
        if form.is_valid():
            try:
                token, key = api_token_create(
                    membership=membership,
                    name=form.cleaned_data["name"],
                    member_id=form.cleaned_data["member"],
                    scopes=form.cleaned_data["scopes"],
                )
            except ApiTokenError as exc:
                form.add_error(None, " ".join(exc.messages))
            else:
                request.session[SESSION_KEY] = {"pk": token.pk, "key": key}
                return redirect("cabinet:api-tokens")
    tokens = api_tokens_for_company(membership=membership)
    new = request.session.pop(SESSION_KEY, None) if request.method == "GET" else None
    created = next((t for t in tokens if new and t.pk == new.get("pk")), None)
    response = render(
        request,
        "cabinet/apitokens/index.html",
        {
            "tokens": tokens,
            "form": form,
            "created": created,
            "key": new["key"] if created else None,
            "me": membership,
        },
        status=400 if request.method == "POST" else 200,
    )
    add_never_cache_headers(response)  # the key must not stay in any cache
    return response


@login_required
@require_POST
def token_revoke(request, pk: int):
    if request.membership is None:
        raise PermissionDenied(_("You are not acting for a company."))
    membership = _admin(request)
    if pk > 2**62:
        raise Http404
    try:
        token = api_token_revoke(membership=membership, pk=pk)
    except ApiToken.DoesNotExist as exc:
        raise Http404 from exc
    messages.success(
        request, _("The token “%(name)s” is revoked.") % {"name": token.name}
    )
    return redirect("cabinet:api-tokens")
