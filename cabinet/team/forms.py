"""Team forms: an invitation, a role, the spending limits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Role


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.BUYER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)


def _limit_field(label):
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text=_("Empty: no limit."),
        widget=forms.NumberInput(
            attrs={"step": "0.01", "min": "0", "inputmode": "decimal"}
        ),
    )


class LimitsForm(forms.Form):
    per_order = _limit_field(_("Limit per order"))
    per_month = _limit_field(_("Limit per month"))
