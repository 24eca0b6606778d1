"""The company's reservation terms, as its administrators set them."""

from django import forms
from django.utils.translation import gettext_lazy as _


class TermsForm(forms.Form):
    days = forms.CharField(
        label=_("A reservation runs for (working days)"),
        max_length=4,
        widget=forms.NumberInput(
            attrs={"min": "1", "step": "1", "inputmode": "numeric"}
        ),
    )

    def __init__(self, *args, max_days: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_days = max_days
        self.fields["days"].widget.attrs["max"] = str(max_days)
        self.fields["days"].help_text = _(
            "From 1 to %(max)s, counting the day of reserving when it is a working day."
        ) % {"max": max_days}
