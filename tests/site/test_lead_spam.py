"""Spam protection of the short request form: a trap field answered as a success,
limits per client address and per contact, the client address behind the balancer."""

import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from content.models import Lead
from core.client_ip import client_ip

pytestmark = pytest.mark.django_db

TRAP = re.compile(
    r'<div class="lead-form__trap" aria-hidden="true">\s*<label for="([\w-]+)">Website'
    r'</label>\s*<input type="text" name="website" id="\1" value="" tabindex="-1" '
    r'autocomplete="off">'
)
THANKS = "Thank you! A manager will contact you during working hours."


def _post(client, contact, **extra):
    return client.post(
        "/leads/",
        {
            "kind": "consultation",
            "contact": contact,
            "page": "/catalogue/",
            "consent": "on",
        },
        **extra,
    )


def test_trap_field_is_in_every_rendering_of_the_form(client):
    pages = [
        client.get("/").content.decode(),  # the home page's own form
        client.get("/catalogue/").content.decode(),  # the footer's
        client.get("/leads/").content.decode(),  # the form's page
        _post(client, "call me").content.decode(),  # re-shown with an error
    ]
    for html in pages:
        assert len(TRAP.findall(html)) == 1
    assert TRAP.search(pages[1]).group(1) == "lead-website"


def test_filled_trap_stores_nothing_sends_nothing_and_answers_as_success(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        trapped = client.post(
            "/leads/",
            {
                "kind": "proposal",
                "contact": "+7 912 345-67-89",
                "consent": "on",
                "page": "/catalogue/",
                "website": "http://cheap-pills.example",
            },
        )
    assert Lead.objects.count() == 0
    assert mail.outbox == []
    assert (trapped.status_code, trapped["Location"]) == (302, "/catalogue/")
    assert THANKS in client.get("/catalogue/").content.decode()
    # Even with an invalid contact the bot sees the same success.
    trapped = client.post(
        "/leads/", {"kind": "x", "contact": "", "page": "//evil", "website": "1"}
    )
    assert (trapped.status_code, trapped["Location"]) == (302, "/")
    assert Lead.objects.count() == 0


def test_twenty_rapid_submissions_from_one_address_store_only_the_first_five(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            _post(client, f"+7 912 345-67-{n:02d}").status_code for n in range(20)
        ]
    assert statuses == [302] * 5 + [429] * 15
    assert sorted(Lead.objects.values_list("phone", flat=True)) == [
        f"+7 912 345-67-{n:02d}" for n in range(5)
    ]
    assert len(mail.outbox) == 5
    refused = _post(client, "other@firm.example")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert re.search(
        r"Too many requests from your address; try again in \d+ minutes? or call us\.",
        html,
    )
    assert 'href="tel:+74950000000"' in html
    assert 0 < int(refused["Retry-After"]) <= 600 + 5
    assert Lead.objects.count() == 5
    # Another address still gets through.
    assert (
        _post(client, "other@firm.example", REMOTE_ADDR="192.0.2.9").status_code == 302
    )


def test_trapped_submissions_count_against_the_address(client):
    data = {"kind": "consultation", "contact": "a@b.example", "website": "x"}
    statuses = [client.post("/leads/", data).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert _post(client, "real@firm.example").status_code == 429
    assert Lead.objects.count() == 0


def test_invalid_submissions_are_not_counted(client):
    for _ in range(6):
        assert _post(client, "call me").status_code == 200
    assert _post(client, "anna@firm.example").status_code == 302
    assert Lead.objects.count() == 1


def test_one_contact_is_limited_to_three_an_hour_from_any_address(client):
    statuses = [
        _post(client, "Anna@Firm.example", REMOTE_ADDR=f"192.0.2.{n}").status_code
        for n in range(1, 5)
    ]
    assert statuses == [302, 302, 302, 429]
    # The three accepted requests merge into one lead (`SHOP_LEAD_MERGE_DAYS`).
    lead = Lead.objects.get(email="anna@firm.example")
    assert lead.submissions == 3
    refused = _post(client, "anna@firm.example", REMOTE_ADDR="192.0.2.50")
    assert refused.status_code == 429
    assert "Too many requests for this phone or e-mail" in refused.content.decode()
    assert (
        _post(client, "boris@firm.example", REMOTE_ADDR="192.0.2.1").status_code == 302
    )


def test_refusal_speaks_russian():
    client = Client(headers={"accept-language": "ru"})
    client.cookies["django_language"] = "ru"
    for n in range(5):
        _post(client, f"+7 912 345-67-{n:02d}")
    html = _post(client, "+7 912 345-67-99").content.decode()
    assert re.search(
        r"Слишком много заявок с вашего адреса; попробуйте через \d+ минут[уы]? "
        r"или позвоните нам\.",
        html,
    )
    assert "Слишком много заявок" in html


@pytest.fixture
def behind_balancer(settings):
    settings.SHOP_TRUSTED_PROXIES = ["10.0.0.0/8"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        # Not from the balancer: the header is anyone's to write, so it is ignored.
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),
        # From the balancer: the address it appended (the right-most).
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),
        # Two trusted hops: the first untrusted address from the right.
        ("10.0.0.2", "1.2.3.4, 198.51.100.1, 10.0.0.7", "198.51.100.1"),
        # Garbage stops the walk at the last address a proxy vouched for.
        ("10.0.0.2", "198.51.100.1, not-an-ip", "10.0.0.2"),
        ("10.0.0.2", "", "10.0.0.2"),
        ("10.0.0.2", "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_a_trusted_proxy(
    behind_balancer, remote, forwarded, expected
):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    assert client_ip(request) == expected


def test_client_ip_without_trusted_proxies_is_remote_addr(settings):
    settings.SHOP_TRUSTED_PROXIES = []
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1"
    )
    assert client_ip(request) == "10.0.0.2"


def test_limits_count_each_client_behind_the_balancer(client, behind_balancer):
    via = {"REMOTE_ADDR": "10.0.0.2"}
    first = [
        _post(
            client, f"a{n}@firm.example", HTTP_X_FORWARDED_FOR="198.51.100.1", **via
        ).status_code
        for n in range(6)
    ]
    assert first == [302] * 5 + [429]
    # A spoofed left-hand entry changes nothing; another client has its own count.
    spoofed = _post(
        client, "b@firm.example", HTTP_X_FORWARDED_FOR="9.9.9.9, 198.51.100.1", **via
    )
    other = _post(client, "c@firm.example", HTTP_X_FORWARDED_FOR="198.51.100.2", **via)
    assert (spoofed.status_code, other.status_code) == (429, 302)


def test_a_failing_cache_lets_the_lead_through_rather_than_losing_it(
    client, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("the cache is down")

    monkeypatch.setattr(cache, "add", down)
    monkeypatch.setattr(cache, "incr", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, "+7 912 000-00-01")
    assert response.status_code == 302
    assert Lead.objects.count() == 1
