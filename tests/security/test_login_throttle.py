"""Login throttling (issue 21 item 3): wrong passwords for one e-mail from one client
address lock that pair out for the cool-off, with a page that says for how long and
offers the password reset; another address or another account is not affected. The
same counters guard the Django and Wagtail admin logins; password-reset requests and
API tokens are limited per address (and per e-mail) as well."""

import re
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import ApiToken
from tests.factories import MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PASSWORD = "s3cret-pass!"
HOME_IP = "203.0.113.5"


@pytest.fixture(autouse=True)
def counters_reset():
    """The rate-limit counters live in the memory cache, which outlives each test."""
    cache.clear()
    yield
    cache.clear()


def _login(client, email, password, ip=HOME_IP, **extra):
    return client.post(
        LOGIN,
        {"login-username": email, "login-password": password, "login_submit": "1"},
        REMOTE_ADDR=ip,
        **extra,
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def _lock(email, ip=HOME_IP):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, email, "wrong-password", ip=ip)


# -- the storefront login -----------------------------------------------------


def test_thirty_wrong_passwords_then_the_right_one_is_refused(buyer):
    client = Client()
    for _ in range(30):
        _login(client, buyer.email, "wrong-password")

    response = _login(client, buyer.email, PASSWORD)

    html = response.content.decode()
    assert response.status_code == 429
    assert not _signed_in(client)
    assert "Signing in is paused" in html
    assert "for 15 minutes" in html
    assert f'href="{reverse("password-reset")}"' in html
    assert 'class="topbar' in html  # inside the site's layout


def test_the_lockout_starts_at_the_limit_and_says_so(buyer):
    client = Client()
    codes = [
        _login(client, buyer.email, "wrong-password").status_code
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]

    assert codes == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429]


def test_the_locked_page_speaks_russian(buyer):
    _lock(buyer.email)

    response = _login(Client(), buyer.email, PASSWORD, HTTP_ACCEPT_LANGUAGE="ru")

    html = response.content.decode()
    assert response.status_code == 429
    assert "Вход временно приостановлен" in html
    assert "на 15 минут" in html


def test_the_e_mail_counts_whatever_its_case(buyer):
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT):
        email = buyer.email.upper() if index % 2 else buyer.email
        _login(client, email, "wrong-password")

    assert _login(client, buyer.email, PASSWORD).status_code == 429


def test_another_address_is_not_locked_out(buyer):
    _lock(buyer.email)
    client = Client()

    response = _login(client, buyer.email, PASSWORD, ip="198.51.100.7")

    assert response.status_code == 302
    assert _signed_in(client)


def test_another_account_from_the_same_address_is_not_locked_out(buyer, company):
    colleague = MembershipFactory(company=company, role="buyer").user
    _lock(buyer.email)
    client = Client()

    response = _login(client, colleague.email, PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_a_forged_forwarded_for_does_not_escape_the_lockout(buyer):
    client = Client()
    for index in range(settings.AXES_FAILURE_LIMIT + 3):
        _login(
            client,
            buyer.email,
            "wrong-password",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{index}",
        )

    response = _login(client, buyer.email, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


def test_behind_the_trusted_balancer_each_client_counts_apart(settings, buyer):
    settings.SHOP_TRUSTED_PROXIES = ["10.0.0.0/8"]
    balancer = "10.0.0.2"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(
            Client(),
            buyer.email,
            "wrong-password",
            ip=balancer,
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
    locked = _login(
        Client(),
        buyer.email,
        PASSWORD,
        ip=balancer,
        HTTP_X_FORWARDED_FOR="203.0.113.66",
    )
    client = Client()
    elsewhere = _login(
        client, buyer.email, PASSWORD, ip=balancer, HTTP_X_FORWARDED_FOR="192.0.2.8"
    )

    assert locked.status_code == 429
    assert elsewhere.status_code == 302
    assert _signed_in(client)


def test_after_the_cool_off_the_right_password_logs_in(buyer):
    _lock(buyer.email)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time
        - settings.AXES_COOLOFF_TIME
        - timedelta(seconds=1)
    )
    client = Client()

    response = _login(client, buyer.email, PASSWORD)

    assert response.status_code == 302
    assert _signed_in(client)


def test_a_success_forgets_the_earlier_failures(buyer):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, buyer.email, "wrong-password")
    assert _login(client, buyer.email, PASSWORD).status_code == 302
    client.post(reverse("customer:logout"))

    response = _login(client, buyer.email, "wrong-password")

    assert response.status_code == 200  # one failure, not the limit


def test_a_password_reset_lifts_the_lockout(buyer):
    _lock(buyer.email)
    client = Client()
    client.post("/password-reset/", {"email": buyer.email}, REMOTE_ADDR=HOME_IP)
    link = re.search(r"/password-reset/confirm/\S+/", mail.outbox[0].body).group(0)
    form_url = client.get(link, REMOTE_ADDR=HOME_IP)["Location"]
    done = client.post(
        form_url,
        {"new_password1": "Tula-bearings-2026", "new_password2": "Tula-bearings-2026"},
        REMOTE_ADDR=HOME_IP,
    )

    response = _login(client, buyer.email, "Tula-bearings-2026")

    assert done.status_code == 302
    assert not AccessAttempt.objects.exists()
    assert response.status_code == 302
    assert _signed_in(client)


def test_staff_unlock_in_the_django_admin(buyer, staff_user):
    _lock(buyer.email)
    attempt = AccessAttempt.objects.get()
    admin = Client()
    admin.force_login(staff_user)

    listing = admin.get("/admin/axes/accessattempt/")
    admin.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    client = Client()
    response = _login(client, buyer.email, PASSWORD)

    assert listing.status_code == 200
    assert buyer.email in listing.content.decode()
    assert response.status_code == 302
    assert _signed_in(client)


# -- the back offices ---------------------------------------------------------


@pytest.mark.parametrize("url", ["/admin/login/", "/cms/login/", "/dashboard/login/"])
def test_the_admin_logins_lock_out_too(url):
    staff = StaffFactory(is_superuser=True)
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": staff.email, "password": "wrong-password"},
            REMOTE_ADDR=HOME_IP,
        )

    response = client.post(
        url, {"username": staff.email, "password": PASSWORD}, REMOTE_ADDR=HOME_IP
    )

    assert response.status_code == 429
    assert not _signed_in(client)


# -- password-reset requests --------------------------------------------------


def _reset(email, ip=HOME_IP):
    return Client().post("/password-reset/", {"email": email}, REMOTE_ADDR=ip)


def _rate(setting: str) -> int:
    return int(getattr(settings, setting).split("/")[0])


def test_password_reset_requests_are_limited_per_address(buyer):
    limit = _rate("SHOP_PASSWORD_RESET_RATE_PER_IP")
    codes = [
        _reset(f"someone-{index}@example.com").status_code for index in range(limit)
    ]

    refused = _reset(buyer.email)

    assert codes == [302] * limit
    assert refused.status_code == 429
    assert "Too many password reset requests" in refused.content.decode()
    assert mail.outbox == []  # none of those addresses has an account
    assert _reset(buyer.email, ip="198.51.100.7").status_code == 302
    assert len(mail.outbox) == 1


def test_password_reset_requests_are_limited_per_e_mail(buyer):
    limit = _rate("SHOP_PASSWORD_RESET_RATE_PER_EMAIL")
    for index in range(limit):
        assert _reset(buyer.email, ip=f"198.51.100.{index + 1}").status_code == 302

    refused = _reset(buyer.email.upper(), ip="192.0.2.200")

    assert refused.status_code == 429
    assert len(mail.outbox) == limit


# -- API tokens ---------------------------------------------------------------


def _api(key, ip=HOME_IP):
    return Client().get(
        "/api/v1/cabinet/orders/", HTTP_AUTHORIZATION=f"Token {key}", REMOTE_ADDR=ip
    )


def test_wrong_api_tokens_from_one_address_are_throttled(buyer, company):
    _token, key = ApiToken.issue(user=buyer, company=company, name="ERP")
    limit = _rate("SHOP_API_TOKEN_FAILURES_PER_IP")
    codes = {_api(f"guess-{index}").status_code for index in range(limit)}

    refused = _api(key)

    assert codes == {401}
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many invalid API tokens" in refused.json()["detail"]
    assert _api(key, ip="198.51.100.7").status_code == 200
    assert _api("guess-again", ip="198.51.100.7").status_code == 401
