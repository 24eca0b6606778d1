"""A cXML start link under concurrency (PostgreSQL): ten browsers opening the same
link at once get one punchout between them — the link is taken by a conditional
UPDATE, not checked and then marked."""

import pytest
from django.test import Client

from accounts.models import Company
from tests.factories import CompanyFactory
from tests.invoicing.test_concurrency import (  # noqa: F401
    restore_migrated_data,
    run_in_threads,
)
from tests.punchout.test_cxml import CxmlBuyer, _member, _start_path

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_ten_browsers_opening_one_start_link_get_one_punchout(postgres_only):
    member = _member(CompanyFactory(status=Company.Status.APPROVED))
    buyer = CxmlBuyer(Client(), "https://erp.example/punchout/return")
    _response, root = buyer.setup(member.user)
    start = _start_path(root)
    browsers = [Client() for _ in range(10)]

    def open_link(i):
        response = browsers[i].get(start)
        return response.status_code, "_auth_user_id" in browsers[i].session

    results, errors = run_in_threads(10, open_link)

    assert errors == {}
    assert sorted(results.values()) == [(302, True)] + [(403, False)] * 9
