"""The short request form: a consultation or a commercial proposal, phone or e-mail,
the consent to personal data processing (152-FZ) and, for a proposal, the INN."""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.validators import phone_normalize, tax_id_normalize
from content.leads.consent import Consent, lead_consent
from content.models import Lead

# The trap for bots: an input people never see or reach (`content/_lead_form.html`
# hides it); a submission that fills it is answered as a success and dropped.
HONEYPOT_FIELD = "website"


def page_path_safe(value: str) -> str:
    """Only a path on this site, never an outside address."""
    return value if value.startswith("/") and not value.startswith("//") else ""


class LeadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I need"),
        choices=Lead.Kind.choices,
        initial=Lead.Kind.CONSULTATION,
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    contact = forms.CharField(
        label=_("Phone or e-mail"),
        max_length=254,
        error_messages={"required": _("Enter a phone number or an e-mail address.")},
    )
    inn = forms.CharField(
        label=_("Company INN (for a proposal, optional)"),
        max_length=20,
        required=False,
    )
    page = forms.CharField(max_length=255, required=False, widget=forms.HiddenInput)
    # Its label is the consent text of the site (`content.leads.consent`).
    consent = forms.BooleanField(
        error_messages={
            "required": _(
                "To send the request, agree to the processing of your personal data."
            )
        },
    )
    # The trap (HONEYPOT_FIELD); never stored, any length accepted so a bot that
    # fills it is always answered as a success.
    website = forms.CharField(label=_("Website"), required=False)

    def __init__(self, *args, request=None, consent: Consent | None = None, **kwargs):
        """`request` names the site whose consent text the form shows (else the
        default site's); looked up only when the form is rendered or checked."""
        super().__init__(*args, **kwargs)
        self._request, self._consent = request, consent
        field = self.fields["consent"]
        field.label = lazy(lambda: self.consent_given.text, str)()
        field.help_text = lazy(self._policy_link, str)()

    @cached_property
    def consent_given(self) -> Consent:
        """What the person agrees to by ticking the box; stored on the lead."""
        return self._consent or lead_consent(request=self._request)

    def _policy_link(self) -> str:
        url = self.consent_given.policy_url
        if not url:
            return ""
        return format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>',
            url,
            _("Privacy policy"),
        )

    def clean_inn(self) -> str:
        value = self.cleaned_data.get("inn", "").strip()
        return tax_id_normalize(country="RU", tax_id=value) if value else ""

    def clean_contact(self) -> dict:
        value = self.cleaned_data["contact"].strip()
        if "@" in value:
            try:
                validate_email(value)
            except ValidationError:
                raise ValidationError(
                    _("Enter a valid e-mail address, e.g. name@company.com."),
                    code="invalid",
                ) from None
            return {"email": value.lower(), "phone": ""}
        try:
            return {"email": "", "phone": phone_normalize(value)}
        except ValidationError:
            raise ValidationError(
                _("Enter a phone number (with the country code) or an e-mail address."),
                code="invalid",
            ) from None

    @property
    def is_trapped(self) -> bool:
        """The hidden trap field was filled: a bot, not a person."""
        return bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())

    def clean_page(self) -> str:
        return page_path_safe(self.cleaned_data.get("page", ""))
