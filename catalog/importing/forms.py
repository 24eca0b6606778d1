"""The staff's import and export forms."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.importing.models import CatalogJob

CHECKBOX = forms.CheckboxInput(attrs={"class": "form-check-input"})


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control-file", "accept": ".csv,.xlsx,.xlsm,.txt"}
        ),
    )
    dry_run = forms.BooleanField(
        label=_("Check only, save nothing"), required=False, widget=CHECKBOX
    )
    skip_invalid = forms.BooleanField(
        label=_("Import the valid rows and skip the invalid ones"),
        required=False,
        widget=CHECKBOX,
    )


class ExportForm(forms.Form):
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=CatalogJob.Format.choices,
        initial=CatalogJob.Format.CSV,
        widget=forms.RadioSelect,
    )
