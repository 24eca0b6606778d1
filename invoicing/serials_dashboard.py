"""Staff's "Serial numbers" section of the dashboard (/dashboard/serials/): upload or
paste serials and batches of delivered goods, see the result with its line errors,
and each order's serials. Orders are read through the staff scope."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from accounts.dashboard_views import staff_required
from accounts.staff import staff_scope
from invoicing import serials as service
from sales.order.models import Order

PAGE_SIZE = 25


class SerialImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"class": "form-control-file", "accept": ".csv,.xlsx,.txt"}
        ),
    )
    text = forms.CharField(
        label=_("Or paste a table (with its header row)"),
        required=False,
        max_length=service.MAX_FILE_BYTES,
        widget=forms.Textarea(
            attrs={
                "rows": 6,
                "class": "form-control text-monospace",
                "placeholder": "order;article;serial;batch",
            }
        ),
    )

    def clean(self):
        data = super().clean()
        if not data.get("file") and not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Choose a file or paste a table."))
        return data


@staff_required
def serials_index(request):
    form = SerialImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload:
            report = service.serials_import(user=request.user, file=upload)
        else:
            report = service.serials_import(
                user=request.user,
                file=form.cleaned_data["text"].encode("utf-8"),
                filename="pasted.csv",
            )
        if report.ok:
            form = SerialImportForm()
    orders = (
        staff_scope(Order.objects.all(), user=request.user)
        .filter(serial_numbers__isnull=False)
        .select_related("company")
        .annotate(serial_count=Count("serial_numbers"))
        .annotate(last_entry=Max("serial_numbers__created_at"))
        .order_by("-last_entry", "-pk")
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "invoicing/dashboard/serials.html",
        {"form": form, "report": report, "page_obj": page},
    )


@staff_required
def serials_order(request, number: str):
    order = get_object_or_404(
        staff_scope(Order.objects.select_related("company"), user=request.user),
        number=number,
    )
    serials = order.serial_numbers.select_related(
        "line", "product", "delivery_note", "created_by"
    ).order_by("line_id", "pk")
    return render(
        request,
        "invoicing/dashboard/serials_order.html",
        {"order": order, "serials": serials, "lines": order.lines.order_by("pk")},
    )
