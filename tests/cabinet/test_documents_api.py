"""The document archive API: the company's documents as the archive page lists them
(filters, pages), one document's file by its ref; a token needs the `finance`
scope, statements need `view_finance`; another company's document is a 404."""

from datetime import date

import pytest
from django.utils import timezone

from accounts.models import ApiToken, Role
from tests.cabinet.factories import order_make, priced_product
from tests.documents.factories import PDF, certificate, delivery_note, stored_invoice
from tests.factories import CompanyFactory, MembershipFactory
from tests.invoicing.factories import SellerEntityFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/cabinet/documents/"


@pytest.fixture(autouse=True)
def private_dirs(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.INVOICING_RENDER_PDF_ON_COMMIT = False


@pytest.fixture
def world(company):
    seller = SellerEntityFactory()
    accountant = MembershipFactory(company=company, role=Role.ACCOUNTANT).user
    buyer = MembershipFactory(company=company, role=Role.BUYER).user
    product = priced_product(article="DOC-1")
    order = order_make(company=company, user=accountant, lines=[(product, 1, "50")])
    last_year = date(timezone.localdate().year - 1, 3, 10)
    old = stored_invoice(company=company, amount="100.00", issue_date=last_year)
    new = stored_invoice(company=company, amount="2500.00")
    note = delivery_note(order=order, seller=seller, number=7)
    cert = certificate(product=product, number="DECL-77")
    other = CompanyFactory(name="Foreign Works")
    foreign = stored_invoice(company=other, amount="999.00")
    keys = {
        scopes: ApiToken.issue(
            user=accountant, company=company, name=scopes, scopes=scopes.split(",")
        )[1]
        for scopes in ("finance", "read", "read,order")
    }
    buyer_key = ApiToken.issue(
        user=buyer, company=company, name="buyer", scopes=["finance"]
    )[1]
    return {
        "old": old,
        "new": new,
        "note": note,
        "cert": cert,
        "foreign": foreign,
        "keys": keys,
        "buyer_key": buyer_key,
        "order": order,
    }


def _get(client, url, key, **params):
    return client.get(url, params, HTTP_AUTHORIZATION=f"Token {key}")


def test_the_archive_lists_every_kind_with_file_links(client, world):
    listed = _get(client, API, world["keys"]["finance"]).json()
    refs = {doc["ref"] for doc in listed["results"]}
    assert {
        f"invoice:{world['old'].pk}",
        f"invoice:{world['new'].pk}",
        f"delivery_note:{world['note'].pk}",
        f"upd:{world['note'].pk}",
        f"certificate:{world['cert'].pk}",
    } <= refs
    assert f"invoice:{world['foreign'].pk}" not in refs
    # The accountant sees statements (one per past month and quarter with invoices).
    assert any(ref.startswith("statement:") for ref in refs)
    assert listed["count"] == len(refs)
    new = next(d for d in listed["results"] if d["ref"] == f"invoice:{world['new'].pk}")
    assert new["amount"] == "2500.00"
    assert new["number"] == world["new"].display_number
    assert new["order"] is None
    assert new["file"] == f"{API}invoice:{world['new'].pk}/file"


def test_a_buyer_sees_no_statements(client, world):
    listed = _get(client, API, world["buyer_key"]).json()
    kinds = {doc["kind"] for doc in listed["results"]}
    assert "statement" not in kinds and "invoice" in kinds
    statement = _get(client, API, world["keys"]["finance"], kind="statement").json()[
        "results"
    ][0]["ref"]
    assert _get(client, f"{API}{statement}/file", world["buyer_key"]).status_code == 404
    assert _get(client, API, world["buyer_key"], kind="statement").status_code == 400


def test_the_page_filters_as_query_parameters(client, world):
    key = world["keys"]["finance"]

    def refs(**params):
        response = _get(client, API, key, **params)
        assert response.status_code == 200, params
        return {doc["ref"] for doc in response.json()["results"]}

    assert refs(kind="invoice") == {
        f"invoice:{world['old'].pk}",
        f"invoice:{world['new'].pk}",
    }
    assert refs(kind="invoice", amount_from="1000") == {f"invoice:{world['new'].pk}"}
    today = timezone.localdate().isoformat()
    assert f"invoice:{world['old'].pk}" not in refs(kind="invoice", date_from=today)
    assert refs(q="DECL-77") == {f"certificate:{world['cert'].pk}"}
    assert refs(order=world["order"].number) >= {f"delivery_note:{world['note'].pk}"}
    assert f"invoice:{world['new'].pk}" not in refs(order=world["order"].number)


def test_bad_filters_and_pages_are_400(client, world):
    key = world["keys"]["finance"]
    for params in (
        {"kind": "nonsense"},
        {"date_from": "yesterday"},
        {"date_from": "2026-05-01", "date_to": "2026-04-01"},
        {"amount_from": "NaN"},
        {"amount_from": "-5"},
        {"amount_from": "1e9999"},
        {"page": "abc"},
        {"page": "99"},
        {"q": "x\x00"},
    ):
        response = _get(client, API, key, **params)
        assert response.status_code == 400, params
        assert response.json()["detail"], params


def test_a_stored_invoice_streams_its_file(client, world):
    invoice = world["new"]
    response = _get(client, f"{API}invoice:{invoice.pk}/file", world["keys"]["finance"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"invoice-{invoice.display_number}.pdf" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF


def test_a_certificate_comes_as_uploaded(client, world):
    cert = world["cert"]
    response = _get(
        client, f"{API}certificate:{cert.pk}/file", world["keys"]["finance"]
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "certificate-DECL-77" in response["Content-Disposition"]


def test_another_companys_document_and_bad_refs_are_404(client, world):
    key = world["keys"]["finance"]
    for ref in (
        f"invoice:{world['foreign'].pk}",
        "invoice:abc",
        f"invoice:{2**70}",
        "nonsense:1",
        "invoice:",
        "statement:1999-13",
        "x" * 200,
    ):
        response = _get(client, f"{API}{ref}/file", key)
        assert response.status_code == 404, ref
        assert response.json()["detail"], ref


def test_a_token_without_the_finance_scope_is_403(client, world):
    invoice = world["new"]
    for scopes in ("read", "read,order"):
        key = world["keys"][scopes]
        for url in (API, f"{API}invoice:{invoice.pk}/file"):
            response = _get(client, url, key)
            assert response.status_code == 403, (scopes, url)
            assert "finance" in response.json()["detail"]
    assert client.get(API).status_code == 401


def test_a_session_member_reads_the_archive(client, world, company):
    member = MembershipFactory(company=company, role=Role.BUYER).user
    client.force_login(member)
    response = client.get(API)
    assert response.status_code == 200
    assert response.json()["count"] >= 5


def test_the_list_takes_the_same_queries_whatever_the_page_size(
    client, world, company, django_assert_max_num_queries
):
    key = world["keys"]["finance"]
    with django_assert_max_num_queries(12):
        assert _get(client, API, key).status_code == 200
    for number in range(20):
        stored_invoice(company=company, amount=f"{10 + number}.00")
    with django_assert_max_num_queries(12):
        response = _get(client, API, key)
    assert response.json()["count"] >= 25
