"""Where a lead came from: the first touch kept in a cookie from a campaign or
outside visit, the last touch from the page the form was sent from, both bounded;
the page cache keeps caching the pages that set the cookie."""

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client, RequestFactory

from content.models import Lead
from content.services import lead_create
from content.touches import COOKIE_NAME, first_touch_from_cookie
from shop.cache import HEADER

pytestmark = pytest.mark.django_db

LANDING = (
    "/catalogue/?utm_source=yandex&utm_medium=cpc&utm_campaign=spring"
    "&utm_term=bearings&utm_content=ad1&gclid=abc"
)


def _submit(client, page="/leads/", referer="http://testserver/leads/?kind=proposal"):
    return client.post(
        "/leads/",
        {
            "kind": "proposal",
            "contact": "anna@firm.example",
            "page": page,
            "consent": "on",
        },
        HTTP_REFERER=referer,
    )


def test_campaign_landing_then_a_request_on_another_page_records_both_touches(
    client,
):
    landing = client.get(LANDING, HTTP_REFERER="https://ya.ru/search/?text=bearings")
    assert COOKIE_NAME in landing.cookies
    assert landing.cookies[COOKIE_NAME]["httponly"]
    client.get("/leads/?kind=proposal")  # browsing on: no second first touch
    assert _submit(client).status_code == 302
    lead = Lead.objects.get()
    at = lead.first_touch.pop("at")
    assert lead.first_touch == {
        "utm_source": "yandex",
        "utm_medium": "cpc",
        "utm_campaign": "spring",
        "utm_term": "bearings",
        "utm_content": "ad1",
        "referrer": "https://ya.ru/search/?text=bearings",
        "landing_url": LANDING,
    }
    assert at[:4].isdigit() and "T" in at
    lead.last_touch.pop("at")
    assert lead.last_touch == {"landing_url": "/leads/?kind=proposal"}
    assert (lead.referrer, lead.landing_url) == (
        "https://ya.ru/search/?text=bearings",
        LANDING,
    )
    assert lead.source == "yandex / cpc / spring"


def test_last_touch_takes_the_utm_of_the_page_the_form_was_sent_from(client):
    _submit(
        client,
        page="/catalogue/",
        referer="http://testserver/catalogue/?utm_source=mail&utm_campaign=may",
    )
    lead = Lead.objects.get()
    assert lead.first_touch == {}
    lead.last_touch.pop("at")
    assert lead.last_touch == {
        "utm_source": "mail",
        "utm_campaign": "may",
        "landing_url": "/catalogue/?utm_source=mail&utm_campaign=may",
    }
    assert lead.landing_url == "/catalogue/?utm_source=mail&utm_campaign=may"
    # Without a same-site Referer the form's own page field is the last touch.
    Lead.objects.all().delete()
    cache.clear()
    _submit(client, page="/catalogue/", referer="https://elsewhere.example/")
    assert Lead.objects.get().last_touch["landing_url"] == "/catalogue/"


def test_the_first_touch_is_kept_not_overwritten(client):
    client.get("/catalogue/?utm_source=first")
    second = client.get("/catalogue/?utm_source=second")
    assert COOKIE_NAME not in second.cookies
    _submit(client)
    assert Lead.objects.get().first_touch["utm_source"] == "first"


@pytest.mark.parametrize(
    "referer", ["", "http://testserver/catalogue/", "android-app://com.google/"]
)
def test_no_cookie_without_utm_or_an_outside_referrer(client, referer):
    response = client.get("/catalogue/", HTTP_REFERER=referer)
    assert COOKIE_NAME not in response.cookies


def test_a_forged_cookie_is_ignored_and_values_are_bounded(client):
    client.cookies[COOKIE_NAME] = "eyJ1dG1fc291cmNlIjoiZXZpbCJ9"  # unsigned JSON
    _submit(client)
    assert Lead.objects.get().first_touch == {}
    client = Client()
    response = client.get(
        "/catalogue/?utm_source=" + "x" * 5000 + "&utm_medium=%01cpc%0a"
    )
    assert len(response.cookies[COOKIE_NAME].value) < 4000
    request = RequestFactory().get("/")
    request.COOKIES[COOKIE_NAME] = response.cookies[COOKIE_NAME].value
    touch = first_touch_from_cookie(request)
    assert touch["utm_source"] == "x" * 100
    assert touch["utm_medium"] == "cpc"
    assert len(touch["landing_url"]) == 500


def test_the_service_keeps_only_known_keys_as_strings():
    lead = lead_create(
        kind="consultation",
        email="a@firm.example",
        first_touch={"utm_source": "g", "evil": "x", "referrer": ["list"], "at": 5},
        last_touch="not a dict",
    )
    assert (lead.first_touch, lead.last_touch) == ({"utm_source": "g"}, {})


def test_dashboard_list_shows_the_source_as_text(client, staff_user):
    lead_create(
        kind="consultation",
        email="a@firm.example",
        first_touch={
            "utm_source": "<script>alert(1)</script>",
            "landing_url": "/catalogue/?utm_source=%3Cscript%3E",
        },
    )
    lead_create(
        kind="consultation",
        phone="+7 912 345-67-89",
        first_touch={"referrer": "https://ya.ru/search/?text=x"},
    )
    client.force_login(staff_user)
    html = client.get("/dashboard/leads/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; / — / —" in html
    assert "<script>alert(1)" not in html
    assert "<th>Source</th>" in html and "ya.ru" in html


def test_cached_pages_stay_cacheable_and_a_cached_page_still_records_the_touch(
    settings,
):
    settings.SHOP_PAGE_CACHE_SECONDS = 60
    url = "/catalogue/?utm_source=yandex"
    first = Client().get(url)
    assert (first[HEADER], COOKIE_NAME in first.cookies) == ("miss", True)
    second = Client().get(url)
    assert (second[HEADER], COOKIE_NAME in second.cookies) == ("hit", True)
    assert signing.loads(
        second.cookies[COOKIE_NAME].value, salt="content.touches.first"
    )["utm_source"] == ("yandex")
    # A visitor carrying the cookie is still served from the cache.
    third = Client()
    third.cookies[COOKIE_NAME] = first.cookies[COOKIE_NAME].value
    assert third.get("/catalogue/")[HEADER] in ("miss", "hit")
    assert third.get("/catalogue/")[HEADER] == "hit"
