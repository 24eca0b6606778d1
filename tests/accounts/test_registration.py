"""Registering a business customer: the happy path and every kind of bad input."""

import pytest
from django.core import mail

from accounts.models import Company, Membership, Role, User
from tests.factories import CompanyFactory, StaffFactory, UserFactory

VALID = {
    "email": "Olga.Petrova@Zavod.example",
    "password": "Strong-pass-2024",
    "first_name": "Olga",
    "last_name": "Petrova",
    "phone": "+7 495 123-45-67",
    "legal_name": "OOO Zavod",
    "country": "RU",
    "tax_id": "7736207543",
    "kpp": "773601001",
    "industry": "manufacturing",
}


def _counts():
    return (User.objects.count(), Company.objects.count(), Membership.objects.count())


def _field_errors(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.mark.django_db
def test_registration_creates_pending_company_with_its_administrator(
    client, django_capture_on_commit_callbacks
):
    StaffFactory(email="sales@shop.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/register/", VALID)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/done/"
    user = User.objects.get(email="olga.petrova@zavod.example")
    assert user.check_password("Strong-pass-2024")
    assert (user.first_name, user.last_name, user.phone) == (
        "Olga",
        "Petrova",
        "+7 495 123-45-67",
    )
    company = Company.objects.get(tax_id="7736207543")
    assert company.status == Company.Status.PENDING
    assert company.approved_at is None
    assert (company.legal_name, company.kpp, company.industry) == (
        "OOO Zavod",
        "773601001",
        "manufacturing",
    )
    membership = Membership.objects.get(user=user)
    assert (membership.company, membership.role) == (company, Role.ADMIN)
    assert user.last_company == company
    # The staff are told; the customer is signed in and sees the pending status.
    assert [m.to for m in mail.outbox] == [["sales@shop.example"]]
    assert "OOO Zavod (7736207543)" in mail.outbox[0].subject
    done = client.get("/accounts/register/done/")
    assert done.wsgi_request.company == company
    assert done.wsgi_request.membership.can_order is False
    assert "We are checking the details of OOO Zavod" in done.content.decode()
    assert "Pending approval" in done.content.decode()


@pytest.mark.django_db
def test_registration_page_shows_the_form(client):
    response = client.get("/accounts/register/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Register your business" in html
    for name in ("email", "password", "legal_name", "tax_id", "kpp", "phone"):
        assert f'name="{name}"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("country", "tax_id", "message"),
    [
        (
            "RU",
            "7707083894",
            "7707083894 is not a valid tax number for RU: the check digits do not match.",
        ),
        (
            "RU",
            "12345",
            "12345 is not a valid tax number for RU: "
            "it has the wrong number of characters.",
        ),
        (
            "DE",
            "DE136695977",
            "DE136695977 is not a valid tax number for DE: the check digits do not match.",
        ),
        (
            "DE",
            "FR40303265045",
            "FR40303265045 is not a valid tax number for DE: it belongs to another country.",
        ),
    ],
)
def test_invalid_tax_id_is_reported_next_to_the_field(client, country, tax_id, message):
    before = _counts()
    data = {**VALID, "country": country, "tax_id": tax_id, "kpp": ""}
    response = client.post("/accounts/register/", data)

    assert response.status_code == 200
    assert _field_errors(response, "tax_id") == [message]
    assert message in response.content.decode()
    assert _counts() == before


@pytest.mark.django_db
def test_eu_vat_number_is_accepted_with_or_without_its_prefix(client):
    data = {**VALID, "country": "DE", "tax_id": "136 695 976", "kpp": ""}
    response = client.post("/accounts/register/", data)

    assert response.status_code == 302
    company = Company.objects.get()
    assert (company.country, company.tax_id) == ("DE", "DE136695976")


@pytest.mark.django_db
def test_kpp_is_refused_for_a_foreign_company(client):
    before = _counts()
    data = {**VALID, "country": "DE", "tax_id": "DE136695976", "kpp": "773601001"}
    response = client.post("/accounts/register/", data)

    assert _field_errors(response, "kpp") == ["KPP applies to Russian companies only."]
    assert _counts() == before


@pytest.mark.django_db
def test_malformed_kpp_is_refused(client):
    before = _counts()
    response = client.post("/accounts/register/", {**VALID, "kpp": "77360"})

    assert _field_errors(response, "kpp") == ["KPP must be 9 characters: NNNNPPNNN."]
    assert _counts() == before


@pytest.mark.django_db
def test_duplicate_email_is_refused_whatever_its_case(client):
    UserFactory(email="olga.petrova@zavod.example")
    before = _counts()
    response = client.post("/accounts/register/", VALID)

    assert _field_errors(response, "email") == [
        "An account with this e-mail already exists. Log in or reset the password."
    ]
    assert "An account with this e-mail already exists" in response.content.decode()
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("existing_kpp", ["773601001", ""])
def test_already_registered_company_is_refused(client, existing_kpp):
    CompanyFactory(tax_id="7736207543", kpp=existing_kpp)
    before = _counts()
    response = client.post("/accounts/register/", VALID)

    assert _field_errors(response, "tax_id") == [
        "This company is already registered. Ask its administrator to invite you."
    ]
    assert _counts() == before


@pytest.mark.django_db
def test_a_branch_with_another_kpp_may_register(client):
    CompanyFactory(tax_id="7736207543", kpp="773601001")
    response = client.post("/accounts/register/", {**VALID, "kpp": "772801002"})

    assert response.status_code == 302
    assert Company.objects.filter(tax_id="7736207543").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field", ["email", "password", "first_name", "phone", "legal_name", "tax_id"]
)
def test_missing_required_field_is_reported_next_to_it(client, field):
    before = _counts()
    response = client.post("/accounts/register/", {**VALID, field: ""})

    assert response.status_code == 200
    assert _field_errors(response, field) == ["This field is required."]
    html = response.content.decode()
    # The message sits in the field's own group, right after its input.
    group = html.split(f'name="{field}"', 1)[1].split('class="form-group"', 1)[0]
    assert "This field is required." in group
    assert _counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "call me", "Enter a phone number with the country code"),
        ("password", "12345678", "This password is too common."),
        ("email", "not-an-email", "Enter a valid email address."),
    ],
)
def test_bad_values_are_reported_next_to_their_field(client, field, value, message):
    before = _counts()
    response = client.post("/accounts/register/", {**VALID, field: value})

    assert any(e.startswith(message) for e in _field_errors(response, field))
    assert _counts() == before


@pytest.mark.django_db
def test_signed_in_user_is_sent_to_the_cabinet(buyer_client):
    response = buyer_client.get("/accounts/register/")
    assert response.status_code == 302
    assert response["Location"] == "/cabinet/"
