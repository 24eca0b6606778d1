"""Demo target actions for the funnel report: over the last 60 days a few hundred
visitors reach the two landing pages from search ads, a newsletter, a messenger
channel and directly; some download the catalogue PDF, the demo leads get the visit
and the form submission they came from, the demo companies their registration and
first order. Deterministic for a seed; run once, after the leads."""

import datetime as dt
import uuid
from random import Random

from django.utils import timezone

from accounts.models import Company
from content.models import Event, LandingPage, Lead
from sales.order.models import Order

DAYS = 60
VISITORS = 420
# (UTM source, medium, campaign, weight): where the visitors come from.
SOURCES = [
    ("yandex", "cpc", "stroy-spring", 34),
    ("google", "cpc", "bearings-search", 26),
    ("email", "newsletter", "november-digest", 10),
    ("telegram", "social", "channel-posts", 8),
    ("", "", "", 22),  # typed the address, a bookmark
]
DOWNLOAD_SHARE = 0.12


def _visitor_id(rng: Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _downloads_of(page: LandingPage) -> list:
    return [
        block.value["document"]
        for block in page.body
        if block.block_type == "download" and block.value.get("document")
    ]


def _at(now, rng: Random, days_ago: int):
    return now - dt.timedelta(
        days=days_ago, hours=rng.randint(0, 10), minutes=rng.randint(0, 59)
    )


def _visitors(rng: Random, pages: list[LandingPage], now) -> list[Event]:
    weights = [source[3] for source in SOURCES]
    urls = {page.pk: page.url or "" for page in pages}
    events = []
    for _n in range(VISITORS):
        visitor = _visitor_id(rng)
        source, medium, campaign, _weight = rng.choices(SOURCES, weights)[0]
        page = rng.choice(pages)
        days_ago = rng.randint(0, DAYS - 1)
        utm = {"utm_source": source, "utm_medium": medium, "utm_campaign": campaign}
        for visit in range(rng.choice((1, 1, 1, 2, 3))):
            events.append(
                Event(
                    kind=Event.Kind.LANDING_VIEW,
                    visitor_id=visitor,
                    page=page,
                    path=urls[page.pk],
                    created_at=_at(now, rng, max(days_ago - visit, 0)),
                    **utm,
                )
            )
        documents = _downloads_of(page)
        if documents and rng.random() < DOWNLOAD_SHARE:
            events.append(
                Event(
                    kind=Event.Kind.DOWNLOAD,
                    visitor_id=visitor,
                    page=page,
                    document=documents[0],
                    path=f"/downloads/{documents[0].pk}/",
                    created_at=_at(now, rng, days_ago),
                    **utm,
                )
            )
    return events


def _lead_journeys(rng: Random) -> list[Event]:
    """Each demo lead's visit and form submission, under a visitor id of its own."""
    events = []
    for lead in Lead.objects.select_related("source_page").order_by("pk"):
        if not lead.visitor_id:
            lead.visitor_id = _visitor_id(rng)
            Lead.objects.filter(pk=lead.pk).update(visitor_id=lead.visitor_id)
        touch = lead.first_touch or {}
        utm = {key: touch.get(key, "") for key in ("utm_source", "utm_medium")}
        utm["utm_campaign"] = touch.get("utm_campaign", "")
        common = {
            "visitor_id": lead.visitor_id,
            "page": lead.source_page,
            "lead": lead,
            "user": lead.user,
            "company": lead.company,
            **utm,
        }
        if lead.source_page is not None:
            events.append(
                Event(
                    kind=Event.Kind.LANDING_VIEW,
                    created_at=lead.created_at - dt.timedelta(minutes=6),
                    path=lead.page,
                    **{**common, "lead": None},
                )
            )
        events.append(
            Event(
                kind=Event.Kind.FORM_SUBMIT,
                created_at=lead.created_at,
                path=lead.page,
                **common,
            )
        )
    return events


def _companies(rng: Random, now) -> list[Event]:
    """Each demo company's registration, and its first order: the day of its first
    demo order, or a few days after its earliest lead when that came first."""
    events = []
    for company in Company.objects.order_by("pk"):
        admin = company.memberships.select_related("user").order_by("pk").first()
        user = admin.user if admin else None
        first_lead = Lead.objects.filter(company=company).order_by("created_at").first()
        registered = company.created_at
        if first_lead is not None and first_lead.created_at < now - dt.timedelta(
            days=2
        ):
            registered = first_lead.created_at + dt.timedelta(days=1)
        registered = min(max(registered, now - dt.timedelta(days=DAYS)), now)
        events.append(
            Event(
                kind=Event.Kind.REGISTRATION,
                user=user,
                company=company,
                visitor_id=first_lead.visitor_id if first_lead else "",
                path="/accounts/register/",
                created_at=registered,
            )
        )
        order = Order.objects.filter(company=company).order_by("date_placed").first()
        if order is None:
            continue
        ordered = order.date_placed
        if first_lead is not None and ordered < first_lead.created_at:
            ordered = registered + dt.timedelta(days=rng.randint(1, 2))
        events.append(
            Event(
                kind=Event.Kind.FIRST_ORDER,
                user=order.user,
                company=company,
                path=f"order:{order.number}",
                created_at=min(ordered, now),
            )
        )
    return events


def build_demo_funnel(*, rng: Random, stdout=None) -> None:
    if Event.objects.filter(kind=Event.Kind.LANDING_VIEW).exists():
        return
    pages = list(LandingPage.objects.live().order_by("pk"))
    if not pages:
        return
    now = timezone.now()
    # The first orders the demo's checkout recorded are replaced by dated ones.
    Event.objects.filter(
        kind__in=[Event.Kind.FIRST_ORDER, Event.Kind.REGISTRATION]
    ).delete()
    events = [*_visitors(rng, pages, now), *_lead_journeys(rng), *_companies(rng, now)]
    Event.objects.bulk_create(events, batch_size=500)
    if stdout is not None:
        stdout.write(f"Demo target actions: {len(events)} for the funnel report.")
