"""Oscar's login page without its consumer sign-up; registration is for businesses."""

import pytest
from django.urls import resolve, reverse

from accounts.models import User


@pytest.mark.django_db
def test_login_page_offers_business_registration_instead_of_a_sign_up_form(client):
    response = client.get("/accounts/login/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="login_form"' in html
    assert 'id="register_form"' not in html
    assert 'name="registration-email"' not in html
    assert "New to us?" in html
    assert 'href="/accounts/register/"' in html


@pytest.mark.django_db
def test_consumer_registration_cannot_be_posted(client):
    response = client.post(
        "/accounts/login/",
        {
            "registration-email": "consumer@example.com",
            "registration-password1": "Strong-pass-2024",
            "registration-password2": "Strong-pass-2024",
            "registration_submit": "Register",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/register/"
    assert not User.objects.filter(email="consumer@example.com").exists()


def test_register_urls_are_ours():
    assert reverse("customer:register") == "/accounts/register/"
    assert resolve("/accounts/register/").view_name == "accounts:register"
    assert resolve("/accounts/login/").view_name == "accounts:login"


@pytest.mark.django_db
def test_login_with_a_wrong_password_shows_the_error(client, buyer):
    response = client.post(
        "/accounts/login/",
        {"login-username": buyer.email, "login-password": "nope", "login_submit": "1"},
    )
    assert response.status_code == 200
    assert (
        "Please enter a correct email address and password."
        in response.content.decode()
    )


@pytest.mark.django_db
def test_customer_login_lands_in_the_cabinet(client, buyer):
    response = client.post(
        "/accounts/login/",
        {
            "login-username": buyer.email,
            "login-password": "s3cret-pass!",
            "login_submit": "1",
        },
    )
    assert response["Location"] == "/cabinet/"
