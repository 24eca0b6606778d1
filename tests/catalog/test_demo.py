"""load_demo: deterministic for a seed, creates the README's logins."""

import io

import pytest
from django.core.management import call_command

from catalog.models import AnalogueGroup, CrossReference, Product
from shop.accounts.models import Company, User

pytestmark = pytest.mark.django_db


def _articles():
    return list(Product.objects.order_by("pk").values_list("article", flat=True))


def test_demo_is_deterministic_and_has_the_logins(django_db_blocker):
    call_command("load_demo", "--products", "60", "--seed", "3", stdout=io.StringIO())
    first = _articles()
    assert len(first) == 60
    assert CrossReference.objects.exists() and AnalogueGroup.objects.exists()
    for email in [
        "admin@demo.local", "manager@demo.local", "buyer@stroymontazh.demo",
        "admin@stroymontazh.demo", "approver@stroymontazh.demo",
        "accountant@stroymontazh.demo", "buyer@zavod.demo", "buyer@dealer.demo",
        "pending@newco.demo",
    ]:  # fmt: skip
        assert User.objects.get(email=email).check_password("demo12345")
    assert Company.objects.get(name="NewCo").status == Company.Status.PENDING
    assert User.objects.get(email="buyer@dealer.demo").memberships.count() == 2
    call_command("load_demo", "--products", "60", "--if-empty", stdout=io.StringIO())
    assert _articles() == first
    Product.objects.all().delete()
    call_command("load_demo", "--products", "60", "--seed", "3", stdout=io.StringIO())
    assert _articles() == first
