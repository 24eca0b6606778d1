"""The invoices API for ERP clients: the company's invoices, one with its lines, and
its PDF, for a token with the `finance` scope; another company's invoice is a 404,
a token without the scope a 403, bad parameters a 400."""

import pytest

from accounts.models import ApiToken, Role
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import SellerEntityFactory, draft_line, invoice_make

pytestmark = pytest.mark.django_db

API = "/api/v1/cabinet/invoices/"


@pytest.fixture
def world(company):
    SellerEntityFactory()
    accountant = MembershipFactory(company=company, role=Role.ACCOUNTANT)
    ours = invoice_make(
        company=company,
        lines=[
            draft_line(title="Bearing 6204-2RS", quantity=4, price="250.00"),
            draft_line(
                title="Bolt DIN 933 M8", quantity=100, price="6.30", article="M8"
            ),
        ],
    )
    other_company = CompanyFactory()
    theirs = invoice_make(company=other_company)
    finance = ApiToken.issue(
        user=accountant.user, company=company, name="ERP", scopes=["finance"]
    )[1]
    reader = ApiToken.issue(
        user=accountant.user, company=company, name="BI", scopes=["read"]
    )[1]
    return {"ours": ours, "theirs": theirs, "finance": finance, "reader": reader}


def _get(client, url, key):
    return client.get(url, HTTP_AUTHORIZATION=f"Token {key}")


def test_the_company_invoices_with_lines_and_pdf(client, world):
    ours = world["ours"]
    listed = _get(client, API, world["finance"]).json()
    assert [i["number"] for i in listed["results"]] == [ours.display_number]
    assert listed["results"][0]["total_incl_vat"] == str(ours.total_incl_vat)
    assert listed["results"][0]["amount_due"] == str(ours.total_incl_vat)
    detail = _get(client, f"{API}{ours.pk}/", world["finance"]).json()
    assert [(line["title"], line["quantity"]) for line in detail["lines"]] == [
        ("Bearing 6204-2RS", 4),
        ("Bolt DIN 933 M8", 100),
    ]
    assert detail["lines"][0]["amount_excl_vat"] == "1000.00"
    pdf = _get(client, f"{API}{ours.pk}/pdf", world["finance"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5]
        == b"%PDF-"
    )


def test_status_filter_and_bad_parameters(client, world):
    key = world["finance"]
    assert _get(client, f"{API}?status=paid", key).json()["results"] == []
    assert len(_get(client, f"{API}?status=issued", key).json()["results"]) == 1
    for query in ("?status=nonsense", "?page=abc", "?page=99", "?status=%00"):
        response = _get(client, API + query, key)
        assert response.status_code == 400, query
        assert response.json()["detail"]


def test_another_company_and_missing_scope(client, world):
    theirs = world["theirs"].pk
    for url in (f"{API}{theirs}/", f"{API}{theirs}/pdf", f"{API}{2**63}/"):
        response = _get(client, url, world["finance"])
        assert response.status_code == 404, url
        assert response.json()["detail"]
    ours = world["ours"].pk
    for url in (API, f"{API}{ours}/", f"{API}{ours}/pdf"):
        response = _get(client, url, world["reader"])
        assert response.status_code == 403, url
        assert "finance" in response.json()["detail"]
    assert client.get(API).status_code == 401
