"""Leads in the Wagtail admin (menu "Leads"): the list with filters, search and a
formula-safe CSV/XLSX export, and a lead's page where marketers and sales change
its stage, give it an owner and add notes — every change through
`content.leads.services`. Who may: the "Marketers", "Sales managers" and "Account
managers" groups (`content.leads.groups`) and superusers; an account manager's or a
sales manager's list opens on their own leads and the queue."""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from catalog.importing.tables import cell_escape
from content.leads.selectors import (
    lead_events,
    lead_notes,
    lead_owner_choices,
    leads_for_admin,
    leads_mine_and_queue,
    works_own_queue,
)
from content.leads.services import (
    NOTE_MAX,
    lead_assign,
    lead_note_add,
    lead_status_set,
)
from content.models import Lead

# The owner filter's choices besides the staff members themselves.
OWNER_ALL, OWNER_MINE_AND_QUEUE, OWNER_MINE, OWNER_QUEUE = (
    "all",
    "mine_queue",
    "mine",
    "queue",
)
QUEUE = ""  # the owner form's value for "the sales queue"


class LeadFilterSet(WagtailFilterSet):
    status = django_filters.MultipleChoiceFilter(
        label=gettext_lazy("Status"),
        choices=Lead.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    kind = django_filters.ChoiceFilter(
        label=gettext_lazy("Request"), choices=Lead.Kind.choices
    )
    owner = django_filters.ChoiceFilter(
        label=gettext_lazy("Owner"), method="filter_owner", empty_label=None
    )
    utm_source = django_filters.CharFilter(
        label=gettext_lazy("UTM source"), lookup_expr="iexact"
    )
    utm_campaign = django_filters.CharFilter(
        label=gettext_lazy("UTM campaign"), lookup_expr="iexact"
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Created"), widget=DateRangePickerWidget
    )
    has_company = django_filters.BooleanFilter(
        label=gettext_lazy("Company known"),
        field_name="company",
        lookup_expr="isnull",
        exclude=True,
    )

    class Meta:
        model = Lead
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["owner"].extra["choices"] = [
            (OWNER_ALL, _("All")),
            (OWNER_MINE_AND_QUEUE, _("Mine and the queue")),
            (OWNER_MINE, _("Mine")),
            (OWNER_QUEUE, _("The sales queue")),
            *(
                (str(user.pk), user.get_full_name() or user.email)
                for user in lead_owner_choices()
            ),
        ]

    def filter_owner(self, queryset, name, value):
        user = self.request.user
        if value == OWNER_MINE_AND_QUEUE:
            return leads_mine_and_queue(queryset, user=user)
        if value == OWNER_MINE:
            return queryset.filter(owner=user)
        if value == OWNER_QUEUE:
            return queryset.filter(owner__isnull=True)
        if value.isdigit():
            return queryset.filter(owner_id=int(value))
        return queryset


def _formula_safe(value):
    return cell_escape(value) if isinstance(value, str) else value


def _lead_title(lead: Lead) -> str:
    return lead.name or lead.contact


class LeadIndexView(IndexView):
    def get_base_queryset(self):
        return leads_for_admin()

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The person (or their contact), short enough for a phone's screen; the
        # kind has its own column.
        return self._get_title_column_class(column_class)(
            "name",
            label=gettext_lazy("Person"),
            accessor=_lead_title,
            sort_key="name",
            get_url=self.get_edit_url,
        )

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        if "owner" not in kwargs["data"]:
            data = kwargs["data"].copy()
            own = works_own_queue(self.request.user)
            data["owner"] = OWNER_MINE_AND_QUEUE if own else OWNER_ALL
            kwargs["data"] = data
        return kwargs

    def write_csv_row(self, writer, row_dict):
        # A CSV cell such as "=HYPERLINK(...)" in a name stays text (`cell_escape`);
        # Wagtail writes an XLSX cell that looks like a formula as a string already.
        return writer.writerow(
            {
                field: _formula_safe(
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                )
                for field, value in row_dict.items()
            }
        )


class LeadStatusForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Move to"), choices=Lead.Status.choices
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=255,
        required=False,
        help_text=gettext_lazy("Required to disqualify; kept for a lost deal."),
    )


class LeadOwnerForm(forms.Form):
    owner = forms.ChoiceField(label=gettext_lazy("Owner"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = {str(user.pk): user for user in lead_owner_choices()}
        self.fields["owner"].choices = [
            (QUEUE, _("The sales queue")),
            *(
                (pk, user.get_full_name() or user.email)
                for pk, user in self.staff.items()
            ),
        ]

    @property
    def owner_chosen(self):
        return self.staff.get(self.cleaned_data["owner"])


class LeadNoteForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class LeadDetailView(WagtailAdminTemplateMixin, TemplateView):
    """A lead: contacts, source, touches, stage, owner, notes and target actions,
    with the forms that change them (POST `action` = status / owner / note)."""

    template_name = "content/leads_admin/detail.html"
    header_icon = "form"
    index_url_name = None
    edit_url_name = None
    ACTIONS = {"status": LeadStatusForm, "owner": LeadOwnerForm, "note": LeadNoteForm}

    @property
    def policy(self) -> ModelPermissionPolicy:
        return ModelPermissionPolicy(Lead)

    def dispatch(self, request, *args, pk, **kwargs):
        if not self.policy.user_has_any_permission(request.user, {"view", "change"}):
            raise PermissionDenied
        self.lead = get_object_or_404(leads_for_admin(), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return str(self.lead)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Leads")},
            {"url": "", "label": self.get_page_title()},
        ]

    @property
    def can_change(self) -> bool:
        return self.policy.user_has_permission(self.request.user, "change")

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action", "")
        if action not in self.ACTIONS or not self.can_change:
            raise PermissionDenied
        form = self.ACTIONS[action](request.POST)
        if form.is_valid():
            try:
                self._apply(action, form)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(reverse(self.edit_url_name, args=[self.lead.pk]))
        messages.error(request, _("The lead was not changed; see below."))
        return self.render_to_response(
            self.get_context_data(**{f"{action}_form": form})
        )

    def _apply(self, action: str, form: forms.Form) -> None:
        user = self.request.user
        if action == "status":
            lead_status_set(
                lead=self.lead,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=user,
            )
            messages.success(self.request, _("The status is changed."))
        elif action == "owner":
            lead_assign(lead=self.lead, owner=form.owner_chosen, by=user)
            messages.success(self.request, _("The owner is changed."))
        else:
            lead_note_add(lead=self.lead, author=user, text=form.cleaned_data["text"])
            messages.success(self.request, _("The note is added."))

    def get_context_data(self, **kwargs):
        lead = self.lead
        kwargs.setdefault(
            "status_form", LeadStatusForm(initial={"status": lead.status})
        )
        kwargs.setdefault(
            "owner_form",
            LeadOwnerForm(initial={"owner": str(lead.owner_id or QUEUE)}),
        )
        kwargs.setdefault("note_form", LeadNoteForm())
        context = super().get_context_data(**kwargs)
        context.update(
            lead=lead,
            can_change=self.can_change,
            notes=lead_notes(lead=lead),
            events=lead_events(lead=lead),
            touches=[
                (_("First touch"), lead.first_touch),
                (_("Last touch"), lead.last_touch),
            ],
        )
        return context


class LeadViewSet(ModelViewSet):
    model = Lead
    name = "leads"
    icon = "form"
    menu_label = gettext_lazy("Leads")
    menu_order = 250
    add_to_admin_menu = True
    index_view_class = LeadIndexView
    filterset_class = LeadFilterSet
    copy_view_enabled = False
    inspect_view_enabled = False
    list_per_page = 50
    search_fields = ["name", "email", "phone", "inn", "company__name"]
    search_backend_name = None
    list_display = [
        "name",
        Column("get_kind_display", label=gettext_lazy("Request")),
        Column("get_status_display", label=gettext_lazy("Status")),
        Column("contact", label=gettext_lazy("Contact")),
        "company",
        "owner",
        Column("source", label=gettext_lazy("Source")),
        DateColumn("created_at", label=gettext_lazy("Created")),
    ]
    list_export = [
        "pk",
        "created_at",
        "get_kind_display",
        "get_status_display",
        "status_reason",
        "name",
        "email",
        "phone",
        "inn",
        "company",
        "owner",
        "page",
        "utm_source",
        "utm_campaign",
        "referrer",
        "submissions",
        "mql_at",
        "sql_at",
        "opportunity_at",
        "closed_at",
    ]
    export_headings = {
        "pk": "ID",
        "get_kind_display": gettext_lazy("Request"),
        "get_status_display": gettext_lazy("Status"),
    }
    export_filename = "leads"

    def get_common_view_kwargs(self, **kwargs):
        # Leads come from the site's forms; nobody types one in here. A lead's
        # history is its notes, on its own page (no Wagtail history or usage).
        return super().get_common_view_kwargs(
            **{
                **kwargs,
                "add_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
            }
        )

    @property
    def edit_view(self):
        return LeadDetailView.as_view(
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        """The list, a lead's page and its deletion (superusers: a person's request
        to erase their data); no add, copy or model form."""
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("edit/<int:pk>/", self.edit_view, name="edit"),
            path("delete/<int:pk>/", self.delete_view, name="delete"),
        ]


@hooks.register("register_admin_viewset")
def register_lead_viewset():
    return LeadViewSet()
