"""The funnel report in the Wagtail admin (Reports → Lead funnel): the period and
the grouping chosen in a form, the table and its chart from `content.funnel`, the
same table as CSV. Superusers and whoever may view leads (the marketers' and the
sales managers' groups) see it."""

import csv
import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from catalog.importing.tables import cell_escape
from content.funnel import STAGE_LABELS, STAGES, GroupBy, funnel_report

PERMISSION = "content.view_lead"
DEFAULT_DAYS = 30
MAX_DAYS = 731  # two years: a longer period is refused, not computed


def may_view_funnel(user) -> bool:
    return user.is_active and (user.is_superuser or user.has_perm(PERMISSION))


class FunnelFilterForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("period", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("period", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    group_by = forms.ChoiceField(
        label=gettext_lazy("Group by"), choices=GroupBy.CHOICES, required=False
    )

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        end = data.get("end") or today
        start = data.get("start") or end - dt.timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            raise forms.ValidationError(
                _("The start of the period is after its end."), code="order"
            )
        if (end - start).days >= MAX_DAYS:
            raise forms.ValidationError(
                _("Choose a period of at most two years."),
                code="too_long",
            )
        data.update(start=start, end=end, group_by=data.get("group_by") or "page")
        return data


class FunnelReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "content/funnel/report.html"
    page_title = gettext_lazy("Lead funnel")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not may_view_funnel(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": "", "label": _("Reports")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, *args, **kwargs):
        form = FunnelFilterForm(_with_defaults(request.GET))
        report = funnel_report(**form.cleaned_data) if form.is_valid() else None
        if report is not None and request.GET.get("export") == "csv":
            return funnel_csv(report)
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report=report,
                chart=_chart(report),
                group_label=dict(GroupBy.CHOICES).get(
                    report.group_by if report else "", ""
                ),
                stage_labels=[STAGE_LABELS[stage] for stage in STAGES],
            )
        )


def _with_defaults(query) -> dict:
    """The query, the last `DEFAULT_DAYS` days and the grouping by page filled in
    where it says nothing, so the form shows the period the report covers."""
    today = timezone.localdate()
    return {
        "start": str(today - dt.timedelta(days=DEFAULT_DAYS - 1)),
        "end": str(today),
        "group_by": GroupBy.PAGE,
        **query.dict(),
    }


def _chart(report) -> list[dict]:
    """The totals as bars, each as wide as its share of the visitors."""
    if report is None:
        return []
    widest = max(report.total.visitors, report.total.leads, 1)
    return [
        {
            "label": STAGE_LABELS[stage],
            "count": item["count"],
            "of_visitors": item["of_visitors"],
            "width": round(item["count"] * 100 / widest, 1),
            "y": index * 36,
        }
        for index, (stage, item) in enumerate(
            zip(STAGES, report.total.stages(), strict=True)
        )
    ]


def _rate_cell(rate) -> str:
    return "" if rate is None else str(rate)


def funnel_csv(report) -> HttpResponse:
    """The report's table: counts, the rate of each stage against the one before
    and against the visitors, the totals last."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="funnel-{report.group_by}-{report.start}-{report.end}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with the mark
    writer = csv.writer(response)
    header = [dict(GroupBy.CHOICES)[report.group_by]]
    for stage in STAGES:
        header.append(STAGE_LABELS[stage])
        if stage != "visitors":
            header += [
                _("%(stage)s, %% of previous") % {"stage": STAGE_LABELS[stage]},
                _("%(stage)s, %% of visitors") % {"stage": STAGE_LABELS[stage]},
            ]
    writer.writerow([str(cell) for cell in header])
    for row in [*report.rows, report.total]:
        cells = [cell_escape(row.label)]
        for item in row.stages():
            cells.append(item["count"])
            if item["stage"] != "visitors":
                cells += [_rate_cell(item["step"]), _rate_cell(item["of_visitors"])]
        writer.writerow(cells)
    return response


class FunnelMenuItem(MenuItem):
    def is_shown(self, request):
        return may_view_funnel(request.user)


urlpatterns = [path("", FunnelReportView.as_view(), name="report")]


@hooks.register("register_admin_urls")
def register_funnel_urls():
    return [
        path(
            "reports/funnel/",
            include((urlpatterns, "content_funnel"), namespace="content_funnel"),
        )
    ]


@hooks.register("register_reports_menu_item")
def register_funnel_menu_item():
    return FunnelMenuItem(
        gettext_lazy("Lead funnel"),
        reverse("content_funnel:report"),
        name="lead-funnel",
        icon_name="site",
        order=100,
    )
