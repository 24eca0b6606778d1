"""The short request form: a consultation or a proposal, with a phone or an e-mail."""

import re

import pytest
from django.core import mail

from content.models import Lead


@pytest.mark.django_db
def test_home_page_carries_the_form_and_contacts(client, settings):
    html = client.get("/").content.decode()
    assert 'action="/leads/"' in html
    assert "Talk to a manager" in html
    assert settings.SHOP_PHONE in html and settings.SHOP_EMAIL in html
    # One form per page: the footer leaves it to the home page's contact block.
    assert html.count('action="/leads/"') == 1


@pytest.mark.django_db
def test_other_pages_carry_the_form_in_the_footer(client):
    html = client.get("/catalogue/").content.decode()
    assert html.count('action="/leads/"') == 1
    assert "Leave a request" in html


@pytest.mark.django_db
def test_phone_lead_is_stored_and_mailed_to_sales(
    client, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/leads/",
            {
                "kind": "proposal",
                "name": "Anna",
                "contact": "+7 912 345-67-89",
                "consent": "on",
                "page": "/catalogue/",
            },
        )
    assert response.status_code == 302
    assert response["Location"] == "/catalogue/"
    lead = Lead.objects.get()
    assert (lead.kind, lead.name, lead.phone, lead.email, lead.page) == (
        "proposal",
        "Anna",
        "+7 912 345-67-89",
        "",
        "/catalogue/",
    )
    assert lead.user is None and lead.company is None
    assert [m.to for m in mail.outbox] == [[settings.SHOP_EMAIL]]
    assert mail.outbox[0].subject == (
        "New request: Commercial proposal from +7 912 345-67-89"
    )
    assert "Page: /catalogue/" in mail.outbox[0].body
    page = client.get("/catalogue/").content.decode()
    assert "Thank you! A manager will contact you during working hours." in page


@pytest.mark.django_db
def test_email_lead_of_a_signed_in_buyer_records_person_and_company(
    buyer_client, buyer, company
):
    buyer_client.post(
        "/leads/",
        {
            "kind": "consultation",
            "contact": "Buyer@Firm.example",
            "page": "/",
            "consent": "on",
        },
    )
    lead = Lead.objects.get()
    assert (lead.email, lead.phone) == ("buyer@firm.example", "")
    assert (lead.user, lead.company) == (buyer, company)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("contact", "message"),
    [
        ("", "Enter a phone number or an e-mail address."),
        (
            "call me",
            "Enter a phone number (with the country code) or an e-mail address.",
        ),
        ("12", "Enter a phone number (with the country code) or an e-mail address."),
        ("anna@", "Enter a valid e-mail address, e.g. name@company.com."),
    ],
)
def test_bad_contact_is_reported_next_to_the_field(client, contact, message):
    response = client.post(
        "/leads/", {"kind": "consultation", "contact": contact, "page": "/"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["contact"] == [message]
    html = response.content.decode()
    assert (
        f'<div class="invalid-feedback d-block field-error" id="id_contact-error">{message}</div>'
        in html
    )
    assert Lead.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_unknown_kind_and_outside_redirects_are_refused(client):
    response = client.post("/leads/", {"kind": "spam", "contact": "a@b.example"})
    assert "kind" in response.context["form"].errors
    assert Lead.objects.count() == 0
    response = client.post(
        "/leads/",
        {
            "kind": "consultation",
            "contact": "a@b.example",
            "page": "//evil.example/",
            "consent": "on",
        },
    )
    assert response["Location"] == "/"
    assert Lead.objects.get().page == ""


@pytest.mark.django_db
def test_lead_page_preselects_the_kind(client):
    html = client.get("/leads/?kind=proposal").content.decode()
    assert re.search(r'<input[^>]*value="proposal"[^>]*checked', html)
    assert not re.search(r'<input[^>]*value="consultation"[^>]*checked', html)
