"""Membership in several companies: the active company, switching, and roles."""

import pytest

from accounts.models import ROLE_PERMISSIONS, Role, User
from tests.factories import CompanyFactory, MembershipFactory, UserFactory


@pytest.fixture
def two_companies(db):
    user = UserFactory(email="dealer@example.com")
    first = MembershipFactory(
        user=user, company=CompanyFactory(name="Alpha"), role="buyer"
    )
    second = MembershipFactory(
        user=user, company=CompanyFactory(name="Beta"), role="accountant"
    )
    return user, first.company, second.company


def _login(client, email):
    return client.post(
        "/accounts/login/",
        {
            "login-username": email,
            "login-password": "s3cret-pass!",
            "login_submit": "1",
        },
    )


@pytest.mark.django_db
def test_visitor_has_no_company(client):
    request = client.get("/").wsgi_request
    assert request.company is None and request.membership is None


@pytest.mark.django_db
def test_first_company_by_name_is_active_until_the_user_switches(client, two_companies):
    user, alpha, beta = two_companies
    client.force_login(user)
    request = client.get("/").wsgi_request
    assert request.company == alpha
    assert request.membership.role == "buyer"


@pytest.mark.django_db
def test_switching_company(client, two_companies):
    user, alpha, beta = two_companies
    client.force_login(user)
    response = client.post(
        "/accounts/switch-company/", {"company": beta.pk, "next": "/cabinet/"}
    )
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/"
    assert "You now work for Beta." in client.get("/cabinet/").content.decode()
    request = client.get("/").wsgi_request
    assert request.company == beta
    assert request.membership.role == "accountant"
    assert request.membership.can("order") is False
    assert User.objects.get(pk=user.pk).last_company == beta


@pytest.mark.django_db
def test_cannot_switch_to_a_company_one_is_not_a_member_of(client, two_companies):
    user, alpha, beta = two_companies
    stranger = CompanyFactory(name="Gamma")
    client.force_login(user)
    response = client.post(
        "/accounts/switch-company/", {"company": stranger.pk}, follow=True
    )
    assert "You are not a member of that company." in response.content.decode()
    assert response.wsgi_request.company == alpha
    assert User.objects.get(pk=user.pk).last_company is None


@pytest.mark.django_db
def test_cannot_switch_to_an_inactive_membership_or_blocked_company(
    client, two_companies
):
    user, alpha, beta = two_companies
    blocked = MembershipFactory(
        user=user, company=CompanyFactory(name="Blocked", status="blocked")
    ).company
    left = MembershipFactory(
        user=user, company=CompanyFactory(name="Left"), is_active=False
    )
    client.force_login(user)
    for company in (blocked, left.company):
        response = client.post("/accounts/switch-company/", {"company": company.pk})
        assert client.get("/").wsgi_request.company == alpha, company.name
    assert response.status_code == 302


@pytest.mark.django_db
def test_switch_refuses_outside_redirects_and_get(client, two_companies):
    user, alpha, beta = two_companies
    client.force_login(user)
    response = client.post(
        "/accounts/switch-company/",
        {"company": beta.pk, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/cabinet/"
    assert client.get("/accounts/switch-company/").status_code == 405
    bad = client.post("/accounts/switch-company/", {"company": "x"})
    assert bad.status_code == 400


@pytest.mark.django_db
def test_the_chosen_company_persists_across_logins(client, two_companies):
    user, alpha, beta = two_companies
    assert _login(client, "dealer@example.com").status_code == 302
    client.post("/accounts/switch-company/", {"company": beta.pk})
    client.post("/accounts/logout/")
    assert client.get("/").wsgi_request.company is None

    assert _login(client, "dealer@example.com").status_code == 302
    assert client.get("/").wsgi_request.company == beta


@pytest.mark.django_db
def test_header_offers_switching_only_to_members_of_several_companies(
    client, two_companies, buyer
):
    user, alpha, beta = two_companies
    client.force_login(user)
    html = client.get("/catalogue/").content.decode()
    assert 'action="/accounts/switch-company/"' in html
    assert f'<option value="{beta.pk}">Beta</option>' in html
    client.force_login(buyer)
    html = client.get("/catalogue/").content.decode()
    assert 'action="/accounts/switch-company/"' not in html


EXPECTED_PERMISSIONS = {
    "admin": {
        "order",
        "approve",
        "manage_team",
        "view_orders",
        "view_finance",
        "reserve",
        "pay",
    },
    "buyer": {"order", "view_orders", "reserve", "pay"},
    "approver": {"order", "approve", "view_orders", "view_finance", "pay"},
    "accountant": {"view_orders", "view_finance", "pay"},
}
ALL_PERMISSIONS = sorted(set().union(*EXPECTED_PERMISSIONS.values()))


def test_the_roles_permission_table():
    assert {str(role): set(perms) for role, perms in ROLE_PERMISSIONS.items()} == (
        EXPECTED_PERMISSIONS
    )
    assert set(ROLE_PERMISSIONS) == set(Role.values)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(EXPECTED_PERMISSIONS))
def test_membership_can_follows_the_table(role):
    membership = MembershipFactory(role=role)
    for permission in ALL_PERMISSIONS:
        expected = permission in EXPECTED_PERMISSIONS[role]
        assert membership.can(permission) is expected, (role, permission)
    membership.is_active = False
    assert not any(membership.can(p) for p in ALL_PERMISSIONS)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "role", "can_order"),
    [
        ("approved", "buyer", True),
        ("approved", "accountant", False),
        ("pending", "admin", False),
        ("rejected", "buyer", False),
    ],
)
def test_only_approved_companies_order(status, role, can_order):
    membership = MembershipFactory(company=CompanyFactory(status=status), role=role)
    assert membership.can_order is can_order
