"""Staff review registrations in the dashboard: approve, reject, block, assign."""

import pytest
from django.core import mail

from accounts.models import Company
from accounts.services import company_approve, company_reject
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory, UserFactory


@pytest.fixture
def pending(db):
    company = CompanyFactory(
        name="Newco", tax_id="7728168971", status="pending", approved_at=None
    )
    admin = UserFactory(
        email="boss@newco.example", first_name="Ivan", last_name="Ivanov", language="en"
    )
    MembershipFactory(user=admin, company=company, role="admin")
    MembershipFactory(company=company, role="buyer")  # buyers are not mailed
    return company


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.django_db
def test_approval_sets_status_date_manager_and_mails_the_administrator(
    pending, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company_approve(company=pending, approved_by=staff_user)

    pending.refresh_from_db()
    assert pending.status == Company.Status.APPROVED
    assert pending.approved_at is not None
    assert pending.account_manager == staff_user
    assert [m.to for m in mail.outbox] == [["boss@newco.example"]]
    assert mail.outbox[0].subject == "Your company is approved"
    assert "Newco is approved." in mail.outbox[0].body
    assert f"Your account manager: {staff_user.get_full_name()}" in mail.outbox[0].body


@pytest.mark.django_db
def test_approval_mail_speaks_the_users_language(
    pending, staff_user, django_capture_on_commit_callbacks
):
    pending.memberships.filter(role="admin").update(user=UserFactory(language="ru"))
    with django_capture_on_commit_callbacks(execute=True):
        company_approve(company=pending, approved_by=staff_user)

    assert mail.outbox[0].subject == "Ваша компания одобрена"
    assert "Newco одобрена" in mail.outbox[0].body


@pytest.mark.django_db
def test_approval_keeps_an_assigned_manager(pending, staff_user):
    manager = StaffFactory()
    pending.account_manager = manager
    pending.save()
    company_approve(company=pending, approved_by=staff_user)
    pending.refresh_from_db()
    assert pending.account_manager == manager


@pytest.mark.django_db
def test_rejection_stores_and_mails_the_reason(
    pending, staff_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        company_reject(
            company=pending,
            reason="The INN belongs to another company.",
            rejected_by=staff_user,
        )

    pending.refresh_from_db()
    assert pending.status == Company.Status.REJECTED
    assert pending.status_reason == "The INN belongs to another company."
    assert mail.outbox[0].subject == "Your company registration was declined"
    assert "Reason: The INN belongs to another company." in mail.outbox[0].body


@pytest.mark.django_db
def test_dashboard_lists_companies_and_its_menu_shows_the_section(
    staff_client, pending, django_assert_max_num_queries
):
    CompanyFactory(name="Approved Ltd")
    with django_assert_max_num_queries(20):
        response = staff_client.get("/dashboard/companies/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Newco" in html and "Approved Ltd" in html
    assert "2 companies" in html
    index = staff_client.get("/dashboard/").content.decode()
    assert 'href="/dashboard/companies/"' in index
    assert "Companies" in index


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=pending", ["Newco"]),
        ("status=approved", ["Approved Ltd"]),
        ("industry=construction", ["Approved Ltd"]),
        ("q=newc", ["Newco"]),
        ("q=7728", ["Newco"]),
        ("q=nothing-like-this", []),
    ],
)
def test_dashboard_filters(staff_client, pending, query, expected):
    CompanyFactory(name="Approved Ltd", industry="construction", tax_id="7707083893")
    response = staff_client.get(f"/dashboard/companies/?{query}")
    names = [c.name for c in response.context["page_obj"]]
    assert names == expected


@pytest.mark.django_db
def test_dashboard_detail_shows_members_and_legal_entities(staff_client, pending):
    pending.legal_entities.create(legal_name="Newco Trade", tax_id="7710140679")
    response = staff_client.get(f"/dashboard/companies/{pending.pk}/")
    html = response.content.decode()
    assert "boss@newco.example" in html
    assert "Administrator" in html and "Buyer" in html
    assert "Newco Trade" in html and "7710140679" in html
    assert "Pending approval" in html


@pytest.mark.django_db
def test_dashboard_approve_button(
    staff_client, staff_user, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/dashboard/companies/{pending.pk}/approve/", follow=True
        )
    pending.refresh_from_db()
    assert pending.status == Company.Status.APPROVED
    assert pending.account_manager == staff_user
    assert "Newco is approved." in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_dashboard_reject_needs_a_reason(staff_client, pending):
    response = staff_client.post(
        f"/dashboard/companies/{pending.pk}/reject/", {"reason": ""}
    )
    assert response.status_code == 200
    assert response.context["reason_form"].errors["reason"] == [
        "This field is required."
    ]
    assert "This field is required." in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING
    assert mail.outbox == []


@pytest.mark.django_db
def test_dashboard_reject_with_reason(
    staff_client, pending, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            f"/dashboard/companies/{pending.pk}/reject/", {"reason": "Not a business."}
        )
    pending.refresh_from_db()
    assert (pending.status, pending.status_reason) == ("rejected", "Not a business.")
    assert "Reason: Not a business." in mail.outbox[0].body


@pytest.mark.django_db
def test_blocked_company_is_no_longer_anyones_active_company(
    staff_client, client, company, buyer
):
    staff_client.post(f"/dashboard/companies/{company.pk}/block/", {"reason": "Debt"})
    company.refresh_from_db()
    assert (company.status, company.status_reason) == ("blocked", "Debt")
    client.force_login(buyer)
    response = client.get("/")
    assert response.wsgi_request.company is None
    assert response.wsgi_request.membership is None


@pytest.mark.django_db
def test_dashboard_assigns_an_account_manager(staff_client, pending):
    manager = StaffFactory(email="manager@shop.example")
    staff_client.post(
        f"/dashboard/companies/{pending.pk}/manager/", {"manager": manager.pk}
    )
    pending.refresh_from_db()
    assert pending.account_manager == manager


@pytest.mark.django_db
def test_a_customer_cannot_be_made_account_manager(staff_client, pending):
    customer = UserFactory()
    response = staff_client.post(
        f"/dashboard/companies/{pending.pk}/manager/", {"manager": customer.pk}
    )
    assert response.context["manager_form"].errors["manager"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    pending.refresh_from_db()
    assert pending.account_manager is None


@pytest.mark.django_db
def test_customers_and_visitors_cannot_use_the_companies_dashboard(
    client, buyer_client, pending
):
    assert buyer_client.get("/dashboard/companies/").status_code == 403
    response = buyer_client.post(f"/dashboard/companies/{pending.pk}/approve/")
    assert response.status_code == 403
    client.logout()
    response = client.get("/dashboard/companies/")
    assert response.status_code == 302
    assert response["Location"].startswith("/dashboard/login/?next=")
    pending.refresh_from_db()
    assert pending.status == Company.Status.PENDING


@pytest.mark.django_db
def test_approve_is_post_only(staff_client, pending):
    response = staff_client.get(f"/dashboard/companies/{pending.pk}/approve/")
    assert response.status_code == 405


@pytest.mark.django_db
def test_staff_log_in_once_and_reach_all_three_back_offices(client):
    StaffFactory(email="admin@shop.example", is_superuser=True)
    response = client.post(
        "/accounts/login/",
        {
            "login-username": "admin@shop.example",
            "login-password": "s3cret-pass!",
            "login_submit": "Log In",
        },
    )
    assert response.status_code == 302
    for url in ("/dashboard/", "/cms/", "/admin/"):
        assert client.get(url).status_code == 200, url
