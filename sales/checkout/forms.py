"""The one-page B2B checkout form: address, payer, payment method, PO and date."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import CompanyAddress
from sales.order.models import PaymentMethod

NEW_ADDRESS = "new"
OWN_DETAILS = "own"


class CheckoutForm(forms.Form):
    basket_id = forms.IntegerField(widget=forms.HiddenInput)
    address = forms.ChoiceField(label=_("Delivery address"), widget=forms.RadioSelect)
    recipient = forms.CharField(label=_("Recipient"), max_length=255, required=False)
    line1 = forms.CharField(
        label=_("Street and building"), max_length=255, required=False
    )
    line2 = forms.CharField(
        label=_("Office, floor, gate"), max_length=255, required=False
    )
    city = forms.CharField(label=_("City"), max_length=128, required=False)
    postcode = forms.CharField(label=_("Postcode"), max_length=16, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    payer = forms.ChoiceField(label=_("Invoice to"))
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=PaymentMethod.choices, widget=forms.RadioSelect
    )
    po_number = forms.CharField(
        label=_("Your PO number"), max_length=64, required=False
    )
    desired_delivery_date = forms.DateField(
        label=_("Desired delivery date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args, company, on_account_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.company = company
        self.addresses = {str(a.pk): a for a in company.addresses.all()}
        self.fields["address"].choices = [
            *((pk, str(a)) for pk, a in self.addresses.items()),
            (NEW_ADDRESS, _("A new address")),
        ]
        default = next((pk for pk, a in self.addresses.items() if a.is_default), None)
        self.fields["address"].initial = default or next(
            iter(self.addresses), NEW_ADDRESS
        )
        self.entities = {str(e.pk): e for e in company.legal_entities.all()}
        self.fields["payer"].choices = [
            (OWN_DETAILS, f"{company.legal_name} ({company.tax_id})"),
            *((pk, str(e)) for pk, e in self.entities.items()),
        ]
        if not on_account_allowed:
            self.fields["payment_method"].choices = [
                c for c in PaymentMethod.choices if c[0] != PaymentMethod.ON_ACCOUNT
            ]
        self.fields["payment_method"].initial = self.fields["payment_method"].choices[
            0
        ][0]

    def clean_desired_delivery_date(self):
        value = self.cleaned_data["desired_delivery_date"]
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Choose a date from today on."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("address") == NEW_ADDRESS:
            for name in ("recipient", "line1", "city"):
                if not data.get(name):
                    self.add_error(name, _("Required for a new address."))
        return data

    def delivery_address(self) -> CompanyAddress:
        """The chosen address, or a new one (unsaved: the order saves it)."""
        data = self.cleaned_data
        if data["address"] != NEW_ADDRESS:
            return self.addresses[data["address"]]
        return CompanyAddress(
            company=self.company,
            label=data["city"],
            recipient=data["recipient"],
            line1=data["line1"],
            line2=data["line2"],
            city=data["city"],
            postcode=data["postcode"],
            phone=data["phone"],
            country=self.company.country,
        )

    def legal_entity(self):
        return self.entities.get(self.cleaned_data["payer"])
