"""The team page: invitations (new and existing accounts, bad links), roles, limits,
deactivation, the last administrator, the record of changes, isolation."""

import re
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from accounts import team
from accounts.models import Invitation, Membership, Role, TeamEvent
from tests.factories import CompanyFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

TEAM = "/cabinet/team/"


@pytest.fixture
def admin(company):
    return MembershipFactory(company=company, role=Role.ADMIN)


@pytest.fixture
def admin_client(client, admin):
    client.force_login(admin.user)
    return client


def _invite(client, capture, email="new.colleague@example.com", role="buyer"):
    with capture(execute=True):
        response = client.post(
            reverse("cabinet:team-invite"), {"email": email, "role": role}
        )
    assert response.status_code == 302
    return response


def _link_in_last_mail() -> str:
    match = re.search(
        r"https?://[^/\s]+(/accounts/invitation/[^\s]+/)", mail.outbox[-1].body
    )
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_an_invited_colleague_creates_an_account_and_joins(
    admin_client, admin, company, client, django_capture_on_commit_callbacks
):
    _invite(admin_client, django_capture_on_commit_callbacks, role="approver")

    assert [m.to for m in mail.outbox] == [["new.colleague@example.com"]]
    link = _link_in_last_mail()
    admin_client.logout()
    page = client.get(link)
    assert page.status_code == 200
    assert "Create your account" in page.content.decode()

    response = client.post(
        link,
        {
            "first_name": "Olga",
            "last_name": "Petrova",
            "password1": "a-Long-pass-2026",
            "password2": "a-Long-pass-2026",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/cabinet/"
    member = Membership.objects.get(
        company=company, user__email="new.colleague@example.com"
    )
    assert (member.role, member.is_active) == (Role.APPROVER, True)
    assert client.get("/cabinet/").context["request"].company == company
    invitation = Invitation.objects.get()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert list(
        TeamEvent.objects.order_by("pk").values_list("action", "subject", "actor")
    ) == [
        ("invited", "new.colleague@example.com", admin.user_id),
        ("joined", "new.colleague@example.com", member.user_id),
    ]
    again = client.post(link, {})
    assert again.status_code == 410  # used up
    assert Membership.objects.filter(company=company).count() == 2


def test_a_member_of_another_company_joins_with_the_account_they_have(
    admin_client, company, client, django_capture_on_commit_callbacks
):
    elsewhere = MembershipFactory(role=Role.BUYER)  # another company's buyer
    _invite(
        admin_client, django_capture_on_commit_callbacks, email=elsewhere.user.email
    )
    link = _link_in_last_mail()
    admin_client.logout()

    anonymous = client.get(link)
    assert (
        anonymous.status_code == 200 and "sign in to join" in anonymous.content.decode()
    )
    client.force_login(elsewhere.user)
    response = client.post(link)

    assert response.status_code == 302
    assert set(
        Membership.objects.filter(user=elsewhere.user).values_list("company", flat=True)
    ) == {elsewhere.company_id, company.pk}


def test_the_link_does_not_let_another_account_join(
    admin_client, company, client, django_capture_on_commit_callbacks
):
    _invite(admin_client, django_capture_on_commit_callbacks)
    link = _link_in_last_mail()
    admin_client.logout()
    stranger = UserFactory()
    client.force_login(stranger)

    response = client.post(link, {"first_name": "X", "last_name": "Y"})

    assert response.status_code == 200
    assert not Membership.objects.filter(user=stranger, company=company).exists()
    assert Invitation.objects.get().status == Invitation.Status.PENDING


@pytest.mark.parametrize(
    "spoil",
    [
        lambda link: link[:-3] + "xx/",  # the signature altered
        lambda link: link.replace("/invitation/", "/invitation/a"),  # the key altered
        lambda link: "/accounts/invitation/" + "A" * 60 + "/",  # made up
        lambda link: "/accounts/invitation/%00/",  # a NUL byte
    ],
)
def test_a_forged_link_is_refused_and_changes_nothing(
    admin_client, client, spoil, django_capture_on_commit_callbacks
):
    _invite(admin_client, django_capture_on_commit_callbacks)
    link = spoil(_link_in_last_mail())
    admin_client.logout()

    response = client.post(
        link,
        {
            "first_name": "A",
            "last_name": "B",
            "password1": "x-Long-pass-1",
            "password2": "x-Long-pass-1",
        },
    )

    # 400: the NUL byte is refused before any view (`shop.request_guard`).
    assert response.status_code in (400, 404, 410)
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert not Membership.objects.filter(
        user__email="new.colleague@example.com"
    ).exists()


def test_an_expired_or_revoked_link_is_refused(
    admin_client, admin, client, django_capture_on_commit_callbacks
):
    _invite(admin_client, django_capture_on_commit_callbacks)
    link = _link_in_last_mail()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(link)
    assert expired.status_code == 410 and "expired" in expired.content.decode()

    Invitation.objects.update(expires_at=timezone.now() + timedelta(days=1))
    admin_client.post(
        reverse("cabinet:team-invitation-revoke", args=[Invitation.objects.get().pk])
    )
    revoked = client.get(link)
    assert revoked.status_code == 410 and "withdrawn" in revoked.content.decode()


def test_an_old_signature_is_refused_whatever_the_database_says(
    admin, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        link = team.invitation_create(
            membership=admin,
            email="late@example.com",
            role="buyer",
            base_url="http://t/",
        )
    later = timezone.now() + timedelta(days=team.INVITATION_DAYS, minutes=1)
    with mock.patch("time.time", return_value=later.timestamp()):
        with pytest.raises(team.TeamError, match="expired"):
            team.invitation_for_token(link.token)


def test_resending_replaces_the_link(
    admin_client, client, django_capture_on_commit_callbacks
):
    _invite(admin_client, django_capture_on_commit_callbacks)
    first = _link_in_last_mail()
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse(
                "cabinet:team-invitation-resend", args=[Invitation.objects.get().pk]
            )
        )
    second = _link_in_last_mail()

    assert first != second and len(mail.outbox) == 2
    assert client.get(first).status_code == 410
    assert client.get(second).status_code == 200


def test_inviting_a_member_or_someone_invited_already_is_refused(
    admin_client, company, django_capture_on_commit_callbacks
):
    member = MembershipFactory(company=company, role=Role.BUYER)
    _invite(admin_client, django_capture_on_commit_callbacks, email=member.user.email)
    _invite(admin_client, django_capture_on_commit_callbacks, email="twice@example.com")
    response = admin_client.post(
        reverse("cabinet:team-invite"),
        {"email": "TWICE@example.com", "role": "buyer"},
        follow=True,
    )
    bad = admin_client.post(
        reverse("cabinet:team-invite"),
        {"email": "not an address", "role": "buyer"},
        follow=True,
    )

    assert "already invited" in response.content.decode()
    assert "valid e-mail" in bad.content.decode()
    assert list(Invitation.objects.values_list("email", flat=True)) == [
        "twice@example.com"
    ]


def test_the_invitation_mail_speaks_the_inviters_language(
    admin, django_capture_on_commit_callbacks
):
    admin.user.first_name, admin.user.last_name = "Ivan", "Sidorov"
    admin.user.save()
    for language, subject, body in [
        ("en", "invites you to order with them", "invites you to join"),
        ("ru", "приглашает вас", "приглашает вас в"),
    ]:
        with (
            translation.override(language),
            django_capture_on_commit_callbacks(execute=True),
        ):
            team.invitation_create(
                membership=admin,
                email=f"{language}@example.com",
                role="buyer",
                base_url="http://t/",
            )
        sent = mail.outbox[-1]
        assert subject in sent.subject, (language, sent.subject)
        assert body in sent.body and "Ivan Sidorov" in sent.body, (language, sent.body)


# -- members -------------------------------------------------------------------


def test_roles_limits_and_deactivation_are_saved_and_recorded(
    admin_client, admin, company
):
    member = MembershipFactory(company=company, role=Role.BUYER)

    admin_client.post(
        reverse("cabinet:team-member-role", args=[member.pk]), {"role": "approver"}
    )
    admin_client.post(
        reverse("cabinet:team-member-limits", args=[member.pk]),
        {"per_order": "10000.50", "per_month": ""},
    )
    admin_client.post(
        reverse("cabinet:team-member-active", args=[member.pk]), {"active": "0"}
    )

    member.refresh_from_db()
    assert (
        member.role,
        member.spending_limit,
        member.monthly_limit,
        member.is_active,
    ) == (
        Role.APPROVER,
        Decimal("10000.50"),
        None,
        False,
    )
    events = list(
        TeamEvent.objects.order_by("pk").values_list("action", "before", "after")
    )
    assert events == [
        ("role_changed", "buyer", "approver"),
        ("limits_changed", "|", "10000.50|"),
        ("deactivated", "", ""),
    ]
    page = admin_client.get(TEAM).content.decode()
    assert "no limit / no limit → 10,000.50 / no limit" in page
    assert "Buyer → Approver" in page and member.user.email in page
    with translation.override("ru"):
        russian = admin_client.get(TEAM, HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "без лимита / без лимита → 10\xa0000,50 / без лимита" in russian


@pytest.mark.parametrize(
    "value", ["-1", "abc", "NaN", "Infinity", "1.005", "1e20", "1\x00"]
)
def test_a_bad_limit_is_refused_and_nothing_changes(admin_client, company, value):
    member = MembershipFactory(
        company=company, role=Role.BUYER, spending_limit=Decimal("50")
    )

    response = admin_client.post(
        reverse("cabinet:team-member-limits", args=[member.pk]),
        {"per_order": value, "per_month": "10"},
        follow=True,
    )

    assert response.status_code == 200
    assert "zero or more" in response.content.decode()
    member.refresh_from_db()
    assert (member.spending_limit, member.monthly_limit) == (Decimal("50"), None)
    assert not TeamEvent.objects.exists()


def test_the_last_administrator_cannot_leave_or_step_down(admin_client, admin):
    demote = admin_client.post(
        reverse("cabinet:team-member-role", args=[admin.pk]),
        {"role": "buyer"},
        follow=True,
    )
    leave = admin_client.post(
        reverse("cabinet:team-member-active", args=[admin.pk]),
        {"active": "0"},
        follow=True,
    )

    assert "at least one active administrator" in demote.content.decode()
    assert "at least one active administrator" in leave.content.decode()
    admin.refresh_from_db()
    assert (admin.role, admin.is_active) == (Role.ADMIN, True)


def test_with_a_second_administrator_one_may_step_down(admin_client, admin, company):
    MembershipFactory(company=company, role=Role.ADMIN)

    admin_client.post(
        reverse("cabinet:team-member-role", args=[admin.pk]), {"role": "buyer"}
    )

    admin.refresh_from_db()
    assert admin.role == Role.BUYER
    assert admin_client.get(TEAM).status_code == 403  # no longer manages the team


def test_a_deactivated_member_can_no_longer_order_but_keeps_their_history(
    admin_client, company, client
):
    member = MembershipFactory(company=company, role=Role.BUYER)
    admin_client.post(
        reverse("cabinet:team-member-active", args=[member.pk]), {"active": "0"}
    )
    client.force_login(member.user)

    response = client.get("/cabinet/orders/")

    assert response.status_code == 200
    assert response.context["request"].membership is None  # acts for no company
    assert Membership.objects.filter(pk=member.pk).exists()


@pytest.mark.parametrize("role", [Role.BUYER, Role.APPROVER, Role.ACCOUNTANT])
def test_only_administrators_manage_the_team(client, company, role):
    someone = MembershipFactory(company=company, role=role)
    victim = MembershipFactory(company=company, role=Role.BUYER)
    client.force_login(someone.user)

    page = client.get(TEAM)
    invite = client.post(
        reverse("cabinet:team-invite"), {"email": "x@example.com", "role": "admin"}
    )
    promote = client.post(
        reverse("cabinet:team-member-role", args=[victim.pk]), {"role": "admin"}
    )

    assert (page.status_code, invite.status_code, promote.status_code) == (
        403,
        403,
        403,
    )
    assert "Only an administrator" in page.content.decode()
    assert not Invitation.objects.exists()
    victim.refresh_from_db()
    assert victim.role == Role.BUYER


def test_another_companys_member_or_invitation_is_not_found(
    admin_client, django_capture_on_commit_callbacks
):
    other = CompanyFactory()
    foreign = MembershipFactory(company=other, role=Role.BUYER)
    foreign_admin = MembershipFactory(company=other, role=Role.ADMIN)
    with django_capture_on_commit_callbacks(execute=True):
        link = team.invitation_create(
            membership=foreign_admin,
            email="theirs@example.com",
            role="buyer",
            base_url="http://t/",
        )

    urls = [
        (reverse("cabinet:team-member-role", args=[foreign.pk]), {"role": "admin"}),
        (reverse("cabinet:team-member-limits", args=[foreign.pk]), {"per_order": "1"}),
        (reverse("cabinet:team-member-active", args=[foreign.pk]), {"active": "0"}),
        (reverse("cabinet:team-invitation-resend", args=[link.invitation.pk]), {}),
        (reverse("cabinet:team-invitation-revoke", args=[link.invitation.pk]), {}),
        (reverse("cabinet:team-member-role", args=[2**63 - 1]), {"role": "admin"}),
    ]
    for url, data in urls:
        assert admin_client.post(url, data).status_code == 404, url
    foreign.refresh_from_db()
    assert (foreign.role, foreign.is_active, foreign.spending_limit) == (
        Role.BUYER,
        True,
        None,
    )
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    assert (
        not TeamEvent.objects.filter(company=other).exclude(action="invited").exists()
    )
