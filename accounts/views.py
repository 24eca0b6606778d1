"""Registration of business customers, login and logout, password reset, switching
the active company, and joining a company by invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import IntegrityError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from oscar.apps.customer.forms import PasswordResetForm
from oscar.apps.customer.views import AccountAuthView

from accounts import team
from accounts.forms import InvitationSignupForm, RegistrationForm, SwitchCompanyForm
from accounts.lockout import login_lockouts_clear, password_reset_limit_hit
from accounts.middleware import SESSION_KEY
from accounts.models import User
from accounts.services import company_register, company_switch
from accounts.signals import user_registered


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
            user_registered.send(
                sender=User,
                request=request,
                user=membership.user,
                company=membership.company,
                invited=False,
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


@require_http_methods(["GET", "POST"])
def logout(request):
    """Signing out takes a POST (the header's button): a link or an image on another
    page cannot sign anyone out. A GET asks, with that button."""
    if request.method == "GET":
        if not request.user.is_authenticated:
            return redirect(settings.OSCAR_HOMEPAGE)
        return render(request, "accounts/logout.html")
    auth_logout(request)
    response = redirect(settings.OSCAR_HOMEPAGE)
    for cookie in settings.OSCAR_COOKIES_DELETE_ON_LOGOUT:
        response.delete_cookie(cookie)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Oscar's password-reset request, limited per client address and per e-mail
    (`accounts.lockout`): over a limit the form says when to try again, with 429,
    and no mail goes out."""

    form_class = PasswordResetForm
    template_name = "oscar/registration/password_reset_form.html"
    success_url = reverse_lazy("password-reset-done")

    def form_valid(self, form):
        minutes = password_reset_limit_hit(
            self.request, email=form.cleaned_data["email"]
        )
        if minutes is None:
            return super().form_valid(form)
        form.add_error(
            None,
            ngettext(
                "Too many password reset requests. Try again in %(minutes)s minute.",
                "Too many password reset requests. Try again in %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes},
        )
        return self.render_to_response(self.get_context_data(form=form), status=429)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Oscar's new-password page; the new password also lifts the account's login
    lockouts: whoever set it owns the e-mail."""

    form_class = SetPasswordForm
    template_name = "oscar/registration/password_reset_confirm.html"
    success_url = reverse_lazy("password-reset-complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        login_lockouts_clear(email=form.user.email)
        return response


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


def invitation(request, token: str):
    """An invitation link: join the company with one's account (signed in as the
    invited address), or create the account here. A bad link is explained, with
    nothing changed."""
    try:
        invite = team.invitation_for_token(token)
    except team.TeamError as error:
        return render(
            request,
            "accounts/invitation_invalid.html",
            {"reason": " ".join(error.messages)},
            status=410,
        )
    has_account = User.objects.filter(email__iexact=invite.email).exists()
    signed_in_as_invitee = (
        request.user.is_authenticated
        and request.user.email.lower() == invite.email.lower()
    )
    form = None
    if not has_account:
        form = InvitationSignupForm(request.POST or None, email=invite.email)
    if request.method == "POST":
        try:
            if signed_in_as_invitee:
                membership = team.invitation_accept(token=token, user=request.user)
            elif (
                form is not None
                and not request.user.is_authenticated
                and form.is_valid()
            ):
                membership = team.invitation_accept_new_user(
                    token=token,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    password=form.cleaned_data["password1"],
                )
                login(
                    request,
                    membership.user,
                    backend="oscar.apps.customer.auth_backends.EmailBackend",
                )
                user_registered.send(
                    sender=User,
                    request=request,
                    user=membership.user,
                    company=membership.company,
                    invited=True,
                )
            else:
                membership = None
        except team.TeamError as error:
            return render(
                request,
                "accounts/invitation_invalid.html",
                {"reason": " ".join(error.messages)},
                status=410,
            )
        if membership is not None:
            request.session[SESSION_KEY] = membership.company_id
            messages.success(
                request,
                _("Welcome to %(company)s.") % {"company": membership.company.name},
            )
            return redirect("cabinet:home")
    return render(
        request,
        "accounts/invitation.html",
        {
            "invitation": invite,
            "has_account": has_account,
            "signed_in_as_invitee": signed_in_as_invitee,
            "form": form,
        },
    )
