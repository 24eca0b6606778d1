"""Order history filters."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cabinet.orders.selectors import OrderFilters, order_statuses, status_label


class OrderFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    po_number = forms.CharField(label=_("PO number"), required=False, max_length=64)
    user = forms.TypedChoiceField(
        label=_("Ordered by"), required=False, coerce=int, empty_value=None
    )
    article = forms.CharField(
        label=_("Contains article"), required=False, max_length=64
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + [
            (status, status_label(status)) for status in order_statuses()
        ]
        members = company.memberships.select_related("user").order_by("user__email")
        self.fields["user"].choices = [("", _("Anyone"))] + [
            (m.user_id, m.user.get_full_name() or m.user.email) for m in members
        ]
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return data

    def filters(self) -> OrderFilters:
        if not self.is_bound or not self.is_valid():
            return OrderFilters()
        data = self.cleaned_data
        return OrderFilters(
            status=data["status"],
            date_from=data["date_from"],
            date_to=data["date_to"],
            po_number=data["po_number"].strip(),
            user_id=data["user"],
            article=data["article"].strip(),
        )
