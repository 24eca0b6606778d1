"""The person's own profile (/cabinet/profile/): name, phone, language, password and
which e-mails they get. With or without a company; every form acts on the signed-in
user only (nothing in a request names whose profile it is). Bad input re-shows the
page with the reasons and changes nothing."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.notifications import notifications_switch
from cabinet.profile.forms import DetailsForm, NotificationsForm
from cabinet.profile.services import profile_update


def _password_form(user, data=None) -> PasswordChangeForm:
    form = PasswordChangeForm(user=user, data=data)
    # The page opens on the details, not in the password section.
    form.fields["old_password"].widget.attrs.pop("autofocus", None)
    return form


def _page(request, *, details=None, notifications=None, password=None):
    """The page; a form given is one that failed, shown with its reasons."""
    user = request.user
    if any(form is not None for form in (details, notifications, password)):
        messages.error(request, _("Nothing was saved: correct the marked fields."))
    if details is None:
        details = DetailsForm(
            initial={
                "first_name": user.first_name,
                "last_name": user.last_name,
                "phone": user.phone,
                "language": user.language,
            }
        )
    if notifications is None:
        notifications = NotificationsForm(initial=NotificationsForm.initial_for(user))
    memberships = (
        user.memberships.active().select_related("company").order_by("company__name")
    )
    return render(
        request,
        "cabinet/profile/index.html",
        {
            "details_form": details,
            "notifications_form": notifications,
            "password_form": password or _password_form(user),
            "memberships": memberships,
        },
    )


def _language_cookie(response, language: str) -> None:
    """As Django's `set_language` view sets it, so the next page speaks it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@login_required
def profile(request):
    """GET: the page; POST: the person's details."""
    if request.method != "POST":
        return _page(request)
    form = DetailsForm(request.POST)
    if not form.is_valid():
        return _page(request, details=form)
    user = profile_update(user=request.user, **form.cleaned_data)
    translation.activate(user.language)
    request.LANGUAGE_CODE = user.language
    messages.success(request, _("Your details are saved."))
    response = redirect("cabinet:profile")
    _language_cookie(response, user.language)
    return response


@login_required
@require_POST
def profile_password(request):
    form = _password_form(request.user, request.POST)
    if not form.is_valid():
        return _page(request, password=form)
    form.save()
    update_session_auth_hash(request, form.user)
    messages.success(request, _("Your password is changed."))
    return redirect("cabinet:profile")


@login_required
@require_POST
def profile_notifications(request):
    form = NotificationsForm(request.POST)
    if not form.is_valid():
        return _page(request, notifications=form)
    notifications_switch(user=request.user, off=form.kinds_off())
    messages.success(request, _("Your e-mail settings are saved."))
    return redirect("cabinet:profile")
