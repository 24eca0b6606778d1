"""Account e-mails link to the shop's own address, never to Django's example.com."""

import re

import pytest
from django.contrib.sites.models import Site
from django.core import mail
from django.test import override_settings

from shop.sites import site_domain, site_sync
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_migrate_leaves_the_site_on_the_base_url(settings):
    site = Site.objects.get(pk=settings.SITE_ID)
    assert site.domain == site_domain(settings.SHOP_BASE_URL)
    assert site.domain != "example.com"
    assert site.name == settings.OSCAR_SHOP_NAME[:50]


def test_site_domain_keeps_the_port_and_drops_the_path():
    assert site_domain("https://shop.example.ru/") == "shop.example.ru"
    assert site_domain("http://127.0.0.1:8000") == "127.0.0.1:8000"
    assert site_domain("") == "localhost"


@override_settings(SHOP_BASE_URL="https://b2b.promsnab.test")
def test_password_reset_mail_links_to_the_shop(client):
    site_sync()
    user = UserFactory(email="buyer@promsnab.test")
    response = client.post("/password-reset/", {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    links = re.findall(r"https?://[^\s\"'<>]+", mail.outbox[0].body)
    reset = [link for link in links if "/password-reset/confirm/" in link]
    assert reset, mail.outbox[0].body
    assert all("//b2b.promsnab.test/" in link for link in reset)
    assert "example.com" not in mail.outbox[0].body
