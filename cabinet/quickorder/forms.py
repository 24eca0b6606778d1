"""The quick order form: pasted lines or an uploaded file."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cabinet.quickorder.parsing import (
    MAX_LINES,
    QuickOrderRefused,
    quick_order_parse_table,
    quick_order_parse_text,
)
from catalog.importing.tables import TableError, table_read

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class QuickOrderForm(forms.Form):
    lines = forms.CharField(
        label=gettext_lazy("Lines"),
        required=False,
        widget=forms.Textarea(
            attrs={
                "rows": 10,
                "class": "form-control text-monospace",
                "placeholder": "6205-2RS\t10\nHB-M8/40; 2,5\nDIN 933 M8x40 100",
                "spellcheck": "false",
            }
        ),
    )
    file = forms.FileField(
        label=gettext_lazy("or a CSV/XLSX file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ".csv,.xlsx,.txt", "class": "form-control-file"}
        ),
    )

    def clean(self):
        data = super().clean()
        text, upload = data.get("lines") or "", data.get("file")
        if upload is not None and upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB: split it into parts.")
                % {"mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        if not text.strip() and upload is None:
            raise forms.ValidationError(_("Paste some lines or choose a file."))
        return data

    def parsed_lines(self):
        """The lines to resolve; raises QuickOrderRefused for the whole input."""
        upload = self.cleaned_data.get("file")
        if upload is not None:
            try:
                table = table_read(
                    data=upload.read(MAX_UPLOAD_BYTES + 1),
                    filename=upload.name,
                    max_bytes=MAX_UPLOAD_BYTES,
                    max_rows=MAX_LINES,
                )
            except TableError as exc:
                raise QuickOrderRefused(str(exc)) from exc
            return quick_order_parse_table(table)
        return quick_order_parse_text(self.cleaned_data["lines"])
