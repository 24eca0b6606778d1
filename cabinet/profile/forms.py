"""Profile forms: the person's details, their notification switches. The password
is Django's own `PasswordChangeForm`."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from accounts.notifications import KIND_HELP, kinds_switchable
from accounts.validators import phone_normalize


class DetailsForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("For the site and your e-mails."),
    )

    def clean_phone(self):
        phone = self.cleaned_data["phone"]
        return phone_normalize(phone) if phone else ""


class NotificationsForm(forms.Form):
    """One box per kind that can be switched off; a ticked box means "send it"."""

    on = forms.MultipleChoiceField(
        label=_("E-mail me when"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["on"].choices = [
            (kind.value, kind.label) for kind in kinds_switchable()
        ]

    @staticmethod
    def initial_for(user) -> dict:
        off = set(user.notifications_off or [])
        return {"on": [k.value for k in kinds_switchable() if k.value not in off]}

    def kinds_off(self) -> set[str]:
        on = set(self.cleaned_data["on"])
        return {k.value for k in kinds_switchable() if k.value not in on}

    def rows(self):
        """(kind, label, help, ticked) for the template, in the registry's order."""
        bound = self["on"]
        ticked = set(bound.value() or [])
        return [
            (kind.value, kind.label, KIND_HELP.get(kind, ""), kind.value in ticked)
            for kind in kinds_switchable()
        ]
