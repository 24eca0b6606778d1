"""The company's team (/cabinet/team/), for its administrators: members with their
roles and limits, open invitations, and the record of changes. Everything goes
through `accounts.team`, which checks `manage_team` and scopes by company; another
company's member or invitation is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts import team
from accounts.models import Invitation, Membership, Role, TeamEvent
from cabinet.team.forms import InviteForm, LimitsForm, RoleForm

EVENTS_SHOWN = 50


def _admin(request) -> Membership:
    membership = request.membership
    if membership is None or not membership.can("manage_team"):
        raise PermissionDenied(
            _("Only an administrator of the company manages its team.")
        )
    return membership


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _refused(request, error: team.TeamError):
    messages.error(request, " ".join(error.messages))
    return redirect("cabinet:team")


@login_required
@require_GET
def team_index(request):
    if request.membership is None:
        return render(request, "cabinet/no_company.html")
    membership = _admin(request)
    company = membership.company
    members = (
        Membership.objects.filter(company=company)
        .select_related("user")
        .order_by("-is_active", "user__last_name", "user__first_name", "user__email")
    )
    invitations = [
        i
        for i in Invitation.objects.filter(
            company=company, accepted_at__isnull=True, revoked_at__isnull=True
        ).select_related("invited_by")
    ]
    events = TeamEvent.objects.filter(company=company).select_related("actor")[
        :EVENTS_SHOWN
    ]
    return render(
        request,
        "cabinet/team/index.html",
        {
            "members": members,
            "invitations": invitations,
            "events": events,
            "invite_form": InviteForm(),
            "roles": Role.choices,
            "me": membership,
        },
    )


@login_required
@require_POST
def team_invite(request):
    membership = _admin(request)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid e-mail address and choose a role."))
        return redirect("cabinet:team")
    try:
        link = team.invitation_create(
            membership=membership,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            base_url=_base_url(request),
        )
    except team.TeamError as error:
        return _refused(request, error)
    messages.success(
        request,
        _("The invitation is on its way to %(email)s.")
        % {"email": link.invitation.email},
    )
    return redirect("cabinet:team")


def _pk_or_404(pk: int) -> int:
    if pk > 2**62:
        raise Http404
    return pk


@login_required
@require_POST
def invitation_resend_view(request, pk: int):
    membership = _admin(request)
    try:
        link = team.invitation_resend(
            membership=membership,
            invitation_id=_pk_or_404(pk),
            base_url=_base_url(request),
        )
    except team.TeamError:
        raise Http404 from None
    messages.success(
        request,
        _("A new link has been sent to %(email)s; the old one no longer works.")
        % {"email": link.invitation.email},
    )
    return redirect("cabinet:team")


@login_required
@require_POST
def invitation_revoke_view(request, pk: int):
    membership = _admin(request)
    try:
        invitation = team.invitation_revoke(
            membership=membership, invitation_id=_pk_or_404(pk)
        )
    except team.TeamError:
        raise Http404 from None
    messages.success(
        request,
        _("The invitation of %(email)s is withdrawn.") % {"email": invitation.email},
    )
    return redirect("cabinet:team")


def _member_exists(membership: Membership, pk: int) -> None:
    """404 for an id that is not a member of the actor's company."""
    if not Membership.objects.filter(company=membership.company, pk=_pk_or_404(pk)):
        raise Http404


@login_required
@require_POST
def member_role(request, pk: int):
    membership = _admin(request)
    _member_exists(membership, pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the roles."))
        return redirect("cabinet:team")
    try:
        member = team.member_role_change(
            membership=membership, member_id=pk, role=form.cleaned_data["role"]
        )
    except team.TeamError as error:
        return _refused(request, error)
    messages.success(
        request,
        _("%(email)s is now %(role)s.")
        % {"email": member.user.email, "role": member.get_role_display()},
    )
    return redirect("cabinet:team")


@login_required
@require_POST
def member_limits(request, pk: int):
    membership = _admin(request)
    _member_exists(membership, pk)
    form = LimitsForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _(
                "A limit is an amount of zero or more with at most two decimals, or empty."
            ),
        )
        return redirect("cabinet:team")
    try:
        member = team.member_limits_set(
            membership=membership,
            member_id=pk,
            per_order=form.cleaned_data["per_order"],
            per_month=form.cleaned_data["per_month"],
        )
    except team.TeamError as error:
        return _refused(request, error)
    messages.success(
        request, _("The limits of %(email)s are saved.") % {"email": member.user.email}
    )
    return redirect("cabinet:team")


@login_required
@require_POST
def member_active(request, pk: int):
    membership = _admin(request)
    _member_exists(membership, pk)
    active = request.POST.get("active") == "1"
    try:
        member = team.member_active_set(
            membership=membership, member_id=pk, active=active
        )
    except team.TeamError as error:
        return _refused(request, error)
    if active:
        text = _("%(email)s can act for the company again.")
    else:
        text = _(
            "%(email)s no longer acts for the company; their orders and lists stay."
        )
    messages.success(request, text % {"email": member.user.email})
    return redirect("cabinet:team")
