"""The serial-number search and the export's choice (order, shipment or period)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class SerialSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Serial number"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={"class": "form-control", "autocomplete": "off", "type": "search"}
        ),
    )


class SerialExportForm(forms.Form):
    """`?order=`, `?delivery_note=` or `?from=&to=`, and `?format=csv|xlsx`."""

    order = forms.CharField(required=False, max_length=128)
    delivery_note = forms.IntegerField(required=False, min_value=1)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "XLSX")]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The query names of the period are `from` and `to`.
        for name, new in (("date_from", "from"), ("date_to", "to")):
            self.fields[new] = self.fields.pop(name)
            self.fields[new].widget.attrs["class"] = "form-control"
        self.order_fields(["order", "delivery_note", "from", "to", "format"])

    def clean(self):
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data


class SerialFilterForm(SerialExportForm):
    """The API's filters: the export's (order, shipment, period) and a serial number
    or an article (both compared normalised); the format only for the file."""

    serial = forms.CharField(required=False, max_length=64)
    article = forms.CharField(required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["format"].required = False
