"""The funnel report: a visitor from a UTM-tagged landing visit becomes a lead, is
qualified (MQL, SQL), registers and orders, and the report counts them at every
stage, by page, segment and UTM; who may see it; its period, CSV and query budget.
The journey runs on SQLite and, with DATABASE_URL, on PostgreSQL."""

import csv
import datetime as dt
import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.utils import timezone
from oscar.apps.order.signals import order_placed

from accounts.models import Company
from content.funnel import GroupBy, funnel_report
from content.leads.services import lead_status_set
from content.models import Event, HomePage, LandingPage, Lead
from tests.cabinet.factories import order_make, priced_product
from tests.factories import CompanyFactory, MembershipFactory, StaffFactory

pytestmark = pytest.mark.django_db

URL = "/cms/reports/funnel/"
REGISTRATION = {
    "email": "olga@zavod.example",
    "password": "Strong-pass-2024",
    "first_name": "Olga",
    "last_name": "Petrova",
    "phone": "+7 495 123-45-67",
    "legal_name": "OOO Zavod",
    "country": "RU",
    "tax_id": "7736207543",
    "kpp": "773601001",
    "industry": "manufacturing",
}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _landing(slug="builders", title="For builders", industry="construction"):
    home = HomePage.objects.get()
    page = LandingPage(
        title=title, slug=slug, industry=industry, size_band="small", body="[]"
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page


def _staff_in(group: str):
    user = StaffFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


def _row(report, label):
    (row,) = [row for row in report.rows if row.label == label]
    return row.counts()


def _today():
    return timezone.localdate()


# -- the journey ----------------------------------------------------------------


def _journey(client):
    """A campaign visitor leaves a request, is qualified, registers and orders."""
    page = _landing()
    client.get("/builders/?utm_source=yandex&utm_campaign=spring")
    response = client.post(
        "/leads/",
        {"kind": "consultation", "name": "Olga", "contact": "olga@zavod.example",
         "page": "/builders/", "consent": "on"},
        HTTP_REFERER="http://testserver/builders/?utm_source=yandex&utm_campaign=spring",
    )  # fmt: skip
    assert response.status_code == 302
    lead = Lead.objects.get()
    marketer = _staff_in("Marketers")
    lead = lead_status_set(lead=lead, status=Lead.Status.MQL, by=marketer)
    lead = lead_status_set(lead=lead, status=Lead.Status.SQL, by=marketer)
    assert client.post("/accounts/register/", REGISTRATION).status_code == 302
    company = Company.objects.get(tax_id="7736207543")
    Company.objects.filter(pk=company.pk).update(status=Company.Status.APPROVED)
    buyer = company.memberships.get().user
    order = order_make(
        company=company, user=buyer, lines=[(priced_product(article="J-1"), 3, "90")]
    )
    order_placed.send(sender=None, order=order, user=buyer)
    return page, lead, company, marketer


def _assert_journey_counted(client, settings):
    page, lead, company, marketer = _journey(client)
    lead.refresh_from_db()
    assert (lead.source_page_id, lead.utm_source, lead.utm_campaign) == (
        page.pk,
        "yandex",
        "spring",
    )
    assert lead.company == company
    kinds = set(Event.objects.values_list("kind", flat=True))
    assert kinds == {"landing_view", "form_submit", "registration", "first_order"}
    # Every event of the person: one visitor, all in the company in the end.
    assert set(Event.objects.values_list("company", flat=True)) == {company.pk}

    start, end = _today() - dt.timedelta(days=29), _today()
    for group_by, label in (
        (GroupBy.UTM_SOURCE, "yandex"),
        (GroupBy.UTM_CAMPAIGN, "spring"),
        (GroupBy.PAGE, "For builders"),
    ):
        report = funnel_report(start=start, end=end, group_by=group_by)
        assert _row(report, label) == [1, 1, 1, 1, 1], group_by
        assert report.total.counts() == [1, 1, 1, 1, 1]

    # The marketer reads the same in the admin, grouped by UTM source.
    staff_client = type(client)()
    staff_client.force_login(marketer)
    response = staff_client.get(URL, {"group_by": "utm_source"})
    assert response.status_code == 200
    (row,) = response.context["report"].rows
    assert (row.label, row.counts()) == ("yandex", [1, 1, 1, 1, 1])
    assert row.visitor_rates() == [None] + [100] * 4


def test_a_campaign_visitor_is_counted_from_visit_to_first_order(client, settings):
    _assert_journey_counted(client, settings)


@pytest.mark.postgres
def test_the_journey_is_counted_on_postgresql(client, settings, postgres_only):
    _assert_journey_counted(client, settings)


# -- what each stage counts ------------------------------------------------------


def _event(kind, *, visitor, page=None, company=None, days_ago=0, **fields):
    return Event.objects.create(
        kind=kind,
        visitor_id=visitor,
        page=page,
        company=company,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def _lead(*, page=None, company=None, days_ago=0, **fields):
    return Lead.objects.create(
        email=fields.pop("email", f"p{Lead.objects.count()}@x.example"),
        source_page=page,
        company=company,
        created_at=timezone.now() - dt.timedelta(days=days_ago),
        **fields,
    )


def test_stages_rates_and_totals_by_page():
    builders, plants = _landing(), _landing("plants", "For plants", "manufacturing")
    for n in range(4):
        _event("landing_view", visitor=f"v{n}", page=builders)
    _event("landing_view", visitor="v0", page=builders)  # the same visitor again
    _event("landing_view", visitor="v0", page=plants)  # and on the other page
    _event("landing_view", visitor="v9", page=plants)
    now = timezone.now()
    ordered = CompanyFactory()
    _lead(page=builders, mql_at=now, sql_at=now, company=ordered)
    _lead(page=builders, mql_at=now)
    _lead(page=plants)
    _event("first_order", visitor="", company=ordered)

    report = funnel_report(start=_today(), end=_today(), group_by=GroupBy.PAGE)

    assert [row.label for row in report.rows] == ["For builders", "For plants"]
    builders_row = report.rows[0]
    assert builders_row.counts() == [4, 2, 2, 1, 1]
    assert [str(rate) for rate in builders_row.step_rates()[1:]] == [
        "50.0",
        "100.0",
        "50.0",
        "100.0",
    ]
    assert [str(rate) for rate in builders_row.visitor_rates()[1:]] == [
        "50.0",
        "50.0",
        "25.0",
        "25.0",
    ]
    assert _row(report, "For plants") == [2, 1, 0, 0, 0]
    # v0 saw both pages: once in the totals.
    assert report.total.counts() == [5, 3, 2, 1, 1]


def test_the_segment_is_the_pages_else_the_companys():
    builders = _landing()
    company = CompanyFactory(industry="energy", size_band="large", region="Tula")
    _event("landing_view", visitor="v1", page=builders)
    _event("download", visitor="v2", company=company)
    _lead(page=builders)
    _lead(company=company)

    report = funnel_report(start=_today(), end=_today(), group_by=GroupBy.SEGMENT)

    assert _row(report, "Construction · 16–100 employees") == [1, 1, 0, 0, 0]
    assert _row(report, "Energy and utilities · 251–1000 employees · Tula") == [
        1,
        1,
        0,
        0,
        0,
    ]


def test_the_period_bounds_what_is_counted():
    page = _landing()
    _event("landing_view", visitor="old", page=page, days_ago=40)
    _lead(page=page, days_ago=40)
    _event("landing_view", visitor="new", page=page)

    recent = funnel_report(
        start=_today() - dt.timedelta(days=29), end=_today(), group_by=GroupBy.PAGE
    )
    wide = funnel_report(
        start=_today() - dt.timedelta(days=60), end=_today(), group_by=GroupBy.PAGE
    )

    assert recent.total.counts()[:2] == [1, 0]
    assert wide.total.counts()[:2] == [2, 1]


def test_an_order_before_the_lead_is_no_conversion_of_it():
    company = CompanyFactory()
    _event("first_order", visitor="", company=company, days_ago=5)
    _lead(company=company)

    report = funnel_report(start=_today(), end=_today(), group_by=GroupBy.UTM_SOURCE)

    assert report.total.counts()[1:] == [1, 0, 0, 0]


def test_no_visitors_gives_no_rate_rather_than_a_division_by_zero():
    _lead(utm_source="google")

    report = funnel_report(start=_today(), end=_today(), group_by=GroupBy.UTM_SOURCE)

    (row,) = report.rows
    assert (row.label, row.counts(), row.visitor_rates()) == (
        "google",
        [0, 1, 0, 0, 0],
        [None] * 5,
    )


# -- the admin page --------------------------------------------------------------


@pytest.mark.parametrize("group", ["Marketers", "Sales managers"])
def test_marketers_and_sales_managers_see_the_report_and_its_menu_item(client, group):
    client.force_login(_staff_in(group))

    response = client.get(URL)

    assert response.status_code == 200
    assert response.context["form"].cleaned_data["start"] == _today() - dt.timedelta(
        days=29
    )
    # The admin's menu (a JSON of the sidebar) has the report under Reports.
    assert URL in client.get("/cms/").content.decode()


def test_a_superuser_sees_the_report(client):
    client.force_login(StaffFactory(is_superuser=True))

    assert client.get(URL).status_code == 200


def test_staff_without_the_permission_are_refused(client):
    editor = StaffFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)

    response = client.get(URL)

    assert (response.status_code, response["Location"]) == (302, "/cms/")
    assert URL not in client.get("/cms/").content.decode()


def test_visitors_and_buyers_are_sent_to_the_login(client):
    assert client.get(URL)["Location"].startswith("/cms/login/")
    client.force_login(MembershipFactory().user)
    assert client.get(URL)["Location"].startswith("/cms/login/")


@pytest.mark.parametrize(
    "query",
    [
        {"start": "2026-05-10", "end": "2026-05-01"},
        {"start": "yesterday"},
        {"start": "2020-01-01", "end": "2026-01-01"},
        {"group_by": "password"},
    ],
)
def test_bad_filters_are_explained_not_a_500(client, query):
    client.force_login(_staff_in("Marketers"))

    response = client.get(URL, query)

    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors
    assert client.get(URL, {**query, "export": "csv"})["Content-Type"].startswith(
        "text/html"
    )


def test_the_csv_is_the_table_with_totals_and_no_formulas(client):
    page = _landing(title='=HYPERLINK("http://evil")')
    _event("landing_view", visitor="v1", page=page)
    _lead(page=page, mql_at=timezone.now())
    client.force_login(_staff_in("Marketers"))

    response = client.get(URL, {"group_by": "page", "export": "csv"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Landing page", "Visitors", "Leads"]
    assert rows[1] == [
        "'=HYPERLINK(\"http://evil\")", "1", "1", "100.0", "100.0",
        "1", "100.0", "100.0", "0", "0.0", "0.0", "0", "", "0.0",
    ]  # fmt: skip
    assert rows[2][:3] == ["Total", "1", "1"]


def test_the_report_runs_a_fixed_handful_of_queries(
    client, django_assert_max_num_queries
):
    pages = [_landing(f"p{n}", f"Page {n}") for n in range(6)]
    for n, page in enumerate(pages):
        for visitor in range(5):
            _event(
                "landing_view", visitor=f"v{n}-{visitor}", page=page, utm_source=f"s{n}"
            )
        _lead(page=page, utm_source=f"s{n}", mql_at=timezone.now())
    client.force_login(_staff_in("Marketers"))
    client.get(URL)  # the admin's own first-visit lookups

    for group_by in ("page", "segment", "utm_source", "utm_campaign"):
        # The admin's own (session, user, permissions, menu) and the report's three.
        with django_assert_max_num_queries(16):
            response = client.get(URL, {"group_by": group_by})
        assert response.status_code == 200
    assert len(response.context["report"].rows) == 1  # every lead: no campaign


def test_the_report_is_three_queries_whatever_the_number_of_groups(
    django_assert_num_queries,
):
    for n in range(8):
        page = _landing(f"q{n}", f"Page {n}")
        _event("landing_view", visitor=f"v{n}", page=page, utm_source=f"s{n}")
        _lead(page=page, utm_source=f"s{n}", company=CompanyFactory())

    for group_by in ("page", "segment", "utm_source", "utm_campaign"):
        with django_assert_num_queries(3):
            report = funnel_report(start=_today(), end=_today(), group_by=group_by)
        assert report.total.counts()[:2] == [8, 8]
