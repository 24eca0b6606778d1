"""Approval forms: the company's rules, and the buyer's changes to a requisition."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


def _amount_field(label, help_text):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=help_text,
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
        ),
    )


class RulesForm(forms.Form):
    over_limits = forms.BooleanField(
        label=_("Send an order above the member's own limits for approval"),
        required=False,
        help_text=_("Off: such an order is refused at checkout."),
    )
    roles = forms.MultipleChoiceField(
        label=_("Every order needs approval for these roles"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    amount_above = _amount_field(
        _("Every order above this amount needs approval"),
        _("Incl. VAT; empty: no company-wide amount."),
    )
    second_level_above = _amount_field(
        _("Above this amount, two people approve"),
        _("One of them an administrator; empty: one approval is enough."),
    )


class ResubmitForm(forms.Form):
    po_number = forms.CharField(
        label=_("Your PO number"), max_length=64, required=False
    )
    desired_delivery_date = forms.DateField(
        label=_("Desired delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(
        label=_("Comment for delivery"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("What you changed (for the approver)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_desired_delivery_date(self):
        value = self.cleaned_data["desired_delivery_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return value
