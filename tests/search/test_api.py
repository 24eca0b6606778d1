"""Search and lookup API."""

import json

from django.test import Client

from accounts.models import ApiToken


def test_search_api(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get("/api/v1/search", {"q": "hb m8 40"})
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 4
    first = data["results"][0]
    assert first["article"] == "HB-M8/40"
    assert first["name"] == "Подшипник шариковый 6204-2RS"
    assert first["manufacturer"] == "SKF"
    assert first["matched_on"] == "article"
    assert first["availability"] == "in_stock"
    assert first["url"].startswith("http://testserver/catalogue/")
    assert set(first) >= {"price", "currency"}


def test_search_api_filters_and_bad_input(client, catalogue):
    data = client.get(
        "/api/v1/search", {"q": "подшипник", "manufacturer": "fag"}
    ).json()
    assert [r["article"] for r in data["results"]] == ["HB-M8/400"]
    for params in [{"q": "x" * 10_000}, {"q": "' \" ; -- * ?"}, {"page": "10000"},
                   {"category": "x", "in_stock": "1"}]:  # fmt: skip
        assert client.get("/api/v1/search", params).status_code == 200


def test_search_api_rejects_a_bad_token(client, catalogue):
    response = client.get("/api/v1/search", {"q": "x"}, HTTP_AUTHORIZATION="Token nope")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API token."}


def test_lookup_api_with_token_and_company_numbers(catalogue, buyer, company):
    _, key = ApiToken.issue(user=buyer, company=company, name="ERP")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/lookup",
        json.dumps({"numbers": ["hb m8 40", "our-77", "x100", "nope"]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(r["status"], r["matched_on"]) for r in results] == [
        ("found", "article"),
        ("found", "company_part_number"),
        ("ambiguous", "cross_reference"),
        ("not_found", None),
    ]
    assert results[0]["products"][0]["article"] == "HB-M8/40"


def test_lookup_api_session_needs_csrf(catalogue, buyer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    body = json.dumps({"numbers": ["HB-M8/40"]})
    response = client.post("/api/v1/lookup", body, content_type="application/json")
    assert response.status_code == 403
    # The API's own error shape, not Django's HTML page.
    assert response["Content-Type"] == "application/json"
    assert "CSRF" in response.json()["detail"]


def test_a_page_post_without_csrf_keeps_the_html_answer(buyer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(buyer)
    response = client.post("/cabinet/lists/new/", {"name": "x"})
    assert response.status_code == 403
    assert response["Content-Type"].startswith("text/html")


def test_lookup_api_bad_bodies(client, catalogue):
    def post(body):
        return client.post("/api/v1/lookup", body, content_type="application/json")

    assert post("not json").status_code == 400
    assert post(json.dumps({"numbers": "HB"})).status_code == 400
    assert post(json.dumps([1, 2])).status_code == 400
    assert post(json.dumps({"numbers": [{"a": 1}]})).status_code == 400
    too_many = post(json.dumps({"numbers": ["x"] * 5001}))
    assert too_many.status_code == 400
    assert too_many.json() == {"detail": "At most 5000 numbers per request."}
    assert post(json.dumps({"numbers": []})).json() == {"results": []}
    assert client.get("/api/v1/lookup").status_code == 405


def test_lookup_api_5000_numbers(client, catalogue, django_assert_max_num_queries):
    numbers = [f"N-{i}" for i in range(4999)] + ["HB-M8/40"]
    with django_assert_max_num_queries(15):
        response = client.post(
            "/api/v1/lookup",
            json.dumps({"numbers": numbers}),
            content_type="application/json",
        )
    assert response.status_code == 200
    assert response.json()["results"][-1]["status"] == "found"
