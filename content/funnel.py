"""The funnel report's reads: visitors → leads → MQL → SQL → first order for a
period, grouped by landing page, segment, UTM source or UTM campaign.

Visitors are the distinct visitor ids with any target action in the period,
counted in the group of that action (a visitor who saw two pages counts under
both; the totals row counts each once). The later stages follow the leads created
in the period (a cohort): a lead counts as MQL or SQL once it reached that stage
(its stamp, whatever its status is now), and as a first order when its company
placed its first order after the lead came in. Everything is aggregated in the
database: three queries whatever the number of groups."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import CharField, Count, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import Industry, SizeBand
from content.models import Event, Lead

STAGES = ("visitors", "leads", "mql", "sql", "first_orders")
STAGE_LABELS = {
    "visitors": _("Visitors"),
    "leads": _("Leads"),
    "mql": _("MQL"),
    "sql": _("SQL"),
    "first_orders": _("First orders"),
}


class GroupBy:
    PAGE = "page"
    SEGMENT = "segment"
    UTM_SOURCE = "utm_source"
    UTM_CAMPAIGN = "utm_campaign"
    CHOICES = [
        (PAGE, pgettext_lazy("funnel group", "Landing page")),
        (SEGMENT, _("Segment")),
        (UTM_SOURCE, _("UTM source")),
        (UTM_CAMPAIGN, _("UTM campaign")),
    ]


def _rate(part: int, whole: int) -> Decimal | None:
    """A share in per cent, one decimal; none when there is nothing to divide by."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass
class FunnelRow:
    key: tuple
    label: str
    visitors: int = 0
    leads: int = 0
    mql: int = 0
    sql: int = 0
    first_orders: int = 0

    def counts(self) -> list[int]:
        return [getattr(self, stage) for stage in STAGES]

    def step_rates(self) -> list[Decimal | None]:
        """Each stage against the one before it (visitors: none)."""
        counts = self.counts()
        return [None] + [_rate(b, a) for a, b in zip(counts, counts[1:], strict=False)]

    def visitor_rates(self) -> list[Decimal | None]:
        """Each stage against the visitors."""
        return [None] + [_rate(count, self.visitors) for count in self.counts()[1:]]

    def stages(self) -> list[dict]:
        return [
            {"stage": stage, "count": count, "step": step, "of_visitors": of_visitors}
            for stage, count, step, of_visitors in zip(
                STAGES,
                self.counts(),
                self.step_rates(),
                self.visitor_rates(),
                strict=True,
            )
        ]


@dataclass
class FunnelReport:
    start: dt.date
    end: dt.date
    group_by: str
    rows: list[FunnelRow] = field(default_factory=list)
    total: FunnelRow = field(default_factory=lambda: FunnelRow(key=(), label=""))


def _segment_fields(*, page: str, company: str) -> dict:
    """The segment of a row: each of industry, size and region from the landing
    page when it names one, else from the company."""

    def pick(name):
        return Coalesce(
            NullIf(F(f"{page}__landingpage__{name}"), Value("")),
            NullIf(F(f"{company}__{name}"), Value("")),
            Value(""),
            output_field=CharField(),
        )

    return {
        "g_industry": pick("industry"),
        "g_size": pick("size_band"),
        "g_region": pick("region"),
    }


def _group_fields(group_by: str, *, page: str, company: str) -> dict:
    if group_by == GroupBy.PAGE:
        return {"g_page": F(f"{page}_id"), "g_title": F(f"{page}__title")}
    if group_by == GroupBy.SEGMENT:
        return _segment_fields(page=page, company=company)
    if group_by == GroupBy.UTM_SOURCE:
        return {"g_utm": F("utm_source")}
    if group_by == GroupBy.UTM_CAMPAIGN:
        return {"g_utm": F("utm_campaign")}
    raise ValueError(f"unknown grouping {group_by!r}")


def _key_and_label(group_by: str, values: dict) -> tuple[tuple, str]:
    if group_by == GroupBy.PAGE:
        page_id = values["g_page"]
        label = values["g_title"] if page_id else _("No landing page")
        return (page_id,), str(label)
    if group_by == GroupBy.SEGMENT:
        key = (values["g_industry"], values["g_size"], values["g_region"])
        parts = [
            str(Industry(key[0]).label) if key[0] in Industry.values else key[0],
            str(SizeBand(key[1]).label) if key[1] in SizeBand.values else key[1],
            key[2],
        ]
        return key, " · ".join(part for part in parts if part) or str(_("Not set"))
    value = values["g_utm"]
    return (value,), value or str(_("Not set"))


def _period(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the start of `start` to the end of `end`, in the site's time zone."""
    zone = timezone.get_current_timezone()
    return (
        dt.datetime.combine(start, dt.time.min, tzinfo=zone),
        dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
    )


def funnel_report(*, start: dt.date, end: dt.date, group_by: str) -> FunnelReport:
    since, until = _period(start, end)
    events = Event.objects.filter(created_at__gte=since, created_at__lt=until).exclude(
        visitor_id=""
    )
    leads = Lead.objects.filter(created_at__gte=since, created_at__lt=until)
    ordered = Exists(
        Event.objects.filter(
            kind=Event.Kind.FIRST_ORDER,
            company_id=OuterRef("company_id"),
            created_at__gte=OuterRef("created_at"),
        )
    )
    event_groups = _group_fields(group_by, page="page", company="company")
    lead_groups = _group_fields(group_by, page="source_page", company="company")
    rows: dict[tuple, FunnelRow] = {}

    def row_for(values) -> FunnelRow:
        key, label = _key_and_label(group_by, values)
        return rows.setdefault(key, FunnelRow(key=key, label=label))

    for values in (
        events.annotate(**event_groups)
        .values(*event_groups)
        .annotate(visitors=Count("visitor_id", distinct=True))
        .order_by()
    ):
        row_for(values).visitors = values["visitors"]
    for values in (
        leads.annotate(**lead_groups)
        .values(*lead_groups)
        .annotate(
            leads=Count("pk"),
            mql=Count("pk", filter=Q(mql_at__isnull=False)),
            sql=Count("pk", filter=Q(sql_at__isnull=False)),
            first_orders=Count("pk", filter=Q(ordered)),
        )
        .order_by()
    ):
        row = row_for(values)
        for stage in STAGES[1:]:
            setattr(row, stage, values[stage])
    total = FunnelRow(
        key=(),
        label=str(_("Total")),
        visitors=events.values("visitor_id").distinct().count(),
    )
    for row in rows.values():
        for stage in STAGES[1:]:
            setattr(total, stage, getattr(total, stage) + getattr(row, stage))
    ordered_rows = sorted(
        rows.values(), key=lambda r: (-r.sql, -r.leads, -r.visitors, r.label)
    )
    return FunnelReport(
        start=start, end=end, group_by=group_by, rows=ordered_rows, total=total
    )
