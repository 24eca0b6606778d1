"""The archive's filters, the ZIP request and the e-mail form."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from invoicing.archive import ArchiveFilters, ArchiveKind, status_choices

DATE = forms.DateInput(
    attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d"
)


def _text(**attrs):
    return forms.TextInput(attrs={"class": "form-control", **attrs})


class ArchiveFilterForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Document"), required=False)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DATE)
    q = forms.CharField(
        label=gettext_lazy("Number"),
        required=False,
        max_length=64,
        widget=_text(placeholder="2026-00012"),
    )
    order = forms.CharField(
        label=gettext_lazy("Order"), required=False, max_length=64, widget=_text()
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    amount_from = forms.DecimalField(
        label=gettext_lazy("Amount from"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )
    amount_to = forms.DecimalField(
        label=gettext_lazy("Amount to"),
        required=False,
        min_value=Decimal("0"),
        max_digits=14,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
    )

    def __init__(self, *args, with_finance: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("All")),
            *ArchiveKind.choices(with_finance=with_finance),
        ]
        self.fields["status"].choices = [("", _("All")), *status_choices()]
        for name in ("kind", "status"):
            self.fields[name].widget.attrs["class"] = "form-control"

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The period must start before it ends."))
        low, high = data.get("amount_from"), data.get("amount_to")
        if low is not None and high is not None and low > high:
            raise forms.ValidationError(_("The amount range is reversed."))
        return data

    def filters(self) -> ArchiveFilters:
        """The filters asked for (none when the form is not valid)."""
        if not self.is_bound or not self.is_valid():
            return ArchiveFilters()
        data = self.cleaned_data
        return ArchiveFilters(
            kinds=frozenset({data["kind"]}) if data["kind"] else frozenset(),
            date_from=data["date_from"],
            date_to=data["date_to"],
            order_number=data["order"].strip(),
            status=data["status"],
            amount_from=data["amount_from"],
            amount_to=data["amount_to"],
            query=data["q"].strip(),
        )


class DocumentSendForm(forms.Form):
    document = forms.CharField(max_length=64)
    email = forms.ChoiceField(label=pgettext_lazy("e-mail recipient", "To"))

    def __init__(self, *args, addresses: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].choices = [(a, a) for a in addresses]
        self.fields["email"].error_messages["invalid_choice"] = _(
            "Documents are sent only to members of your company."
        )
