"""Staff pages: catalog import and export (the same code as the commands) and editing a
product's analogues, substitutes and successor."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from catalog.importing.catalog_export import catalog_export_rows
from catalog.importing.catalog_import import catalog_import
from catalog.importing.tables import (
    MAX_FILE_BYTES,
    TableError,
    csv_write,
    table_read,
    xlsx_write,
)
from catalog.models import Product
from catalog.relations import RelationAction, product_relation_apply
from catalog.selectors import product_relations


class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("CSV or XLSX file"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Check only, save nothing"), required=False
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Import the valid rows and skip the invalid ones"),
        required=False,
    )


@staff_member_required(login_url="dashboard:login")
def catalog_import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report, file_error = None, None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            file_error = _(
                "The file is larger than %(mb)s MB; split it into parts."
            ) % {"mb": 50}
        else:
            try:
                table = table_read(data=upload.read(), filename=upload.name)
            except TableError as exc:
                file_error = str(exc)
            else:
                report = catalog_import(
                    table=table,
                    dry_run=form.cleaned_data["dry_run"],
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
    return render(
        request,
        "catalog/dashboard/import.html",
        {"form": form, "report": report, "file_error": file_error},
    )


@staff_member_required(login_url="dashboard:login")
def catalog_export_view(request):
    headers, rows = catalog_export_rows()
    if request.GET.get("format") == "xlsx":
        content = xlsx_write(headers=headers, rows=rows)
        content_type = (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        name = "catalog.xlsx"
    else:
        content, content_type, name = (
            csv_write(headers=headers, rows=rows),
            "text/csv",
            "catalog.csv",
        )
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RelationForm(forms.Form):
    action = forms.ChoiceField(choices=RelationAction.choices)
    article = forms.CharField(required=False, max_length=64)
    note = forms.CharField(required=False, max_length=255)


@staff_member_required(login_url="dashboard:login")
@require_http_methods(["GET", "POST"])
def product_relations_view(request, pk):
    product = get_object_or_404(Product.objects.select_related("successor"), pk=pk)
    form = RelationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product_relation_apply(product=product, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Saved."))
            return redirect("dashboard-catalog:relations", pk=product.pk)
    return render(
        request,
        "catalog/dashboard/relations.html",
        {
            "product": product,
            "relations": product_relations(product=product),
            "form": form,
        },
    )
