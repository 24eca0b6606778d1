"""Registration of business customers, login, and switching the active company."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.apps.customer.views import AccountAuthView

from accounts.forms import RegistrationForm, SwitchCompanyForm
from accounts.services import company_register, company_switch


def register(request):
    if request.user.is_authenticated:
        return redirect("cabinet:home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = company_register(
                registration=form.registration(language=(get_language() or "ru")[:2])
            )
        except IntegrityError:
            # Someone registered the same e-mail or company a moment ago.
            form.add_error(
                None, _("This e-mail or company has just been registered. Log in.")
            )
        else:
            login(
                request,
                membership.user,
                backend="oscar.apps.customer.auth_backends.EmailBackend",
            )
            return redirect("accounts:register-done")
    return render(request, "accounts/register.html", {"form": form})


@login_required
def register_done(request):
    return render(request, "accounts/register_done.html")


class LoginView(AccountAuthView):
    """Oscar's login page without its consumer sign-up: customers register as a
    business at /accounts/register/."""

    def get_context_data(self, *args, **kwargs):
        kwargs.setdefault("registration_form", None)
        return super().get_context_data(*args, **kwargs)

    def post(self, request, *args, **kwargs):
        if "login_submit" in request.POST:
            return self.validate_login_form()
        return redirect("accounts:register")


@login_required
@require_POST
def switch_company(request):
    form = SwitchCompanyForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Choose a company."))
    membership = company_switch(
        request=request, company_id=form.cleaned_data["company"]
    )
    if membership is None:
        messages.error(request, _("You are not a member of that company."))
    else:
        messages.success(
            request,
            _("You now work for %(company)s.") % {"company": membership.company},
        )
    target = form.cleaned_data.get("next") or "/cabinet/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/cabinet/"
    return redirect(target)
