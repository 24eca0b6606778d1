"""No request parameter makes a 500: every URL of the URL map, with values no form
sends, as a visitor, a buyer and a superuser.

Every pattern becomes a concrete path (path arguments take a sample value, and the
path must resolve back to the same view), then is asked with query values that are
not numbers where numbers are read (NaN, infinity, 10^309, negative), strings far
beyond any field's length, markup and path traversal, and with a NUL character. The
parameter names are the ones the project's views and forms read. Pages that take a
POST are sent the same values as form fields (the Django and Wagtail admins only by
GET: their POSTs delete what they are pointed at, which proves nothing about input).
The JSON API's POST endpoints also get arbitrary JSON documents from hypothesis.

A request may be refused in any way a person can read (400, 403, 404, 405, 429, a
redirect, a form error); only a 500 or an exception fails, and the test reports every
failing URL at once.
"""

import json
import re
from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings
from django.urls import Resolver404, URLResolver, get_resolver, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from content.models import Lead
from tests.cabinet.factories import order_make, priced_product
from tests.factories import MembershipFactory, StaffFactory
from tests.invoicing.stripe_server import FakeStripe, serve

pytestmark = pytest.mark.django_db

# What the project's views and forms read (request.GET/POST names and form fields).
NAMES = (
    "q page page_size sort order o manufacturer category in_stock quantity qty plan "
    "next scope product action name invoice article status payment_method note "
    "new_list_name list line kind item format response_format document doc delete "
    "confirm_total company comment active amount amount_from amount_to date_from "
    "date_to days number reason start end valid_from valid_to valid_until language "
    "min_quantity percent price_list currency role email phone tax_id kpp group_by "
    "period lines skip choice-1 form-TOTAL_FORMS form-INITIAL_FORMS form-0-quantity "
    "complete"
).split()
NUMERIC_MISFITS = ("NaN", "-Infinity", "1e309", "-1", "9" * 40, "1:57:NaN", "0x1F")
STRING_MISFITS = (
    "x" * 5000,
    "<script>alert(1)</script>",
    "../../../etc/passwd",
    "' OR 1=1 --",
    "%",
    "\u202e\ufeff\U0001f600" * 50,
    '=HYPERLINK("http://evil")',
)
SAMPLES = {"int": "1", "str": "x", "slug": "x", "path": "x", "uuid": "0" * 32}
# A RegexPattern's named group: a digit sample where the pattern wants digits.
REGEX_GROUP = re.compile(r"\(\?P<\w+>((?:[^()]|\([^()]*\))*)\)")
ROUTE_ARG = re.compile(r"<(?:(\w+):)?\w+>")
NOT_POSTED = ("admin/", "cms/")
# Wagtail's own "does error reporting work" page raises on purpose.
DELIBERATE_ERRORS = ("/cms/failwhale/",)


def _sample_group(match) -> str:
    return "1" if r"\d" in match.group(1) else "x"


def _concrete(route: str) -> str:
    path = route.replace("^", "").replace("$", "").replace(r"\Z", "")
    path = ROUTE_ARG.sub(lambda m: SAMPLES.get(m.group(1) or "str", "1"), path)
    path = REGEX_GROUP.sub(_sample_group, path)
    path = re.sub(r"\(\?:[^()]*\)[*?]", "", path)
    path = path.replace(r"(\d+)", "1").replace("(.*)", "x").replace(r"\.", ".")
    return "/" + path


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern), pattern.callback


def concrete_paths() -> list[str]:
    """One path per pattern that resolves back to that pattern's view."""
    paths = []
    for route, callback in _walk(get_resolver().url_patterns):
        path = _concrete(route)
        try:
            if (
                resolve(path).func is callback
                and path not in paths
                and path not in DELIBERATE_ERRORS
            ):
                paths.append(path)
        except Resolver404:
            continue
    return paths


PATHS = concrete_paths()
SECTIONS = sorted({path.split("/")[1] or "/" for path in PATHS})


def _values(kind: int) -> dict:
    pool = NUMERIC_MISFITS if kind == 0 else STRING_MISFITS
    return {name: pool[i % len(pool)] for i, name in enumerate(NAMES)}


@pytest.fixture
def fake_stripe():
    fake = FakeStripe()
    server = serve(fake)
    with override_settings(
        STRIPE_API_BASE=f"http://127.0.0.1:{server.server_address[1]}",
        STRIPE_SECRET_KEY="sk_test_local",
        STRIPE_WEBHOOK_SECRET="whsec_test_secret",
        INVOICING_RENDER_PDF_ON_COMMIT=False,
    ):
        yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def clients(fake_stripe, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    product = priced_product(article="FUZZ-1")
    membership = MembershipFactory(role="admin")
    order_make(
        company=membership.company,
        user=membership.user,
        lines=[(product, 2, "10.00")],
    )
    buyer, staff = Client(), Client()
    buyer.force_login(membership.user)
    staff.force_login(StaffFactory(is_superuser=True))
    return {"visitor": Client(), "buyer": buyer, "staff": staff}


def _ask(client, method, path, data, failures):
    try:
        response = getattr(client, method)(path, data)
    except Exception as error:  # noqa: BLE001 — every failure is reported below
        failures.append(f"{method.upper()} {path}: {type(error).__name__}: {error}")
        return
    if response.status_code >= 500:
        failures.append(f"{method.upper()} {path}: {response.status_code}")


def test_the_url_map_is_covered():
    # Nearly every pattern becomes a path that resolves to its own view.
    assert len(PATHS) > 800
    for path in ("/catalogue/", "/search/", "/cabinet/quick-order/", "/api/v1/search"):
        assert path in PATHS


@pytest.mark.parametrize("section", SECTIONS)
def test_no_parameter_makes_a_500(clients, section):
    failures: list[str] = []
    paths = [p for p in PATHS if (p.split("/")[1] or "/") == section]
    for path in paths:
        posted = not path.startswith(tuple("/" + prefix for prefix in NOT_POSTED))
        for role, client in clients.items():
            for kind in (0, 1):
                _ask(client, "get", path, _values(kind), failures)
                if posted and role != "visitor":
                    _ask(client, "post", path, _values(kind), failures)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    ["/catalogue/", "/search/", "/api/v1/search", "/cabinet/orders/", "/leads/"],
)
def test_a_nul_character_is_refused_with_a_message(clients, path):
    for role, client in clients.items():
        response = client.get(path, {"q": "bolt", "manufacturer": "SKF\x00"})
        assert response.status_code == 400, (role, response.status_code)
        text = response.content.decode()
        assert "NUL" in text


def test_a_nul_in_a_form_or_json_body_changes_nothing(clients):
    form = {"kind": "consultation", "contact": "a@b.ru\x00", "consent": "on"}
    # URL-encoded, as a browser sends the form: refused before the view.
    response = clients["visitor"].post(
        "/leads/", urlencode(form), content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "NUL" in response.content.decode()
    # Multipart: Django's own validator on the form's field says so.
    response = clients["visitor"].post("/leads/", form)
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()
    assert not Lead.objects.exists()
    response = clients["buyer"].post(
        "/api/v1/lookup",
        json.dumps({"numbers": ["HB\u0000"]}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["numbers", "lines", "quantity", "product", "items", "x"]),
            children,
            max_size=4,
        )
    ),
    max_leaves=20,
)
API_POSTS = [p for p in PATHS if p.startswith("/api/")]


@settings(
    max_examples=30,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(body=JSON_VALUES)
def test_the_api_answers_any_json_body_without_a_500(clients, body):
    failures: list[str] = []
    for path in API_POSTS:
        try:
            response = clients["buyer"].post(
                path, json.dumps(body), content_type="application/json"
            )
        except Exception as error:  # noqa: BLE001
            failures.append(f"POST {path}: {type(error).__name__}: {error}")
            continue
        if response.status_code >= 500:
            failures.append(f"POST {path}: {response.status_code}")
    assert not failures, "\n".join(failures)
