"""Staff pages: editing a product's analogues, substitutes and successor, attaching
its certificates (the import and export pages are `catalog.importing.views`)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from catalog.certificates import product_certificate_add, product_certificate_delete
from catalog.models import Product, ProductCertificate
from catalog.relations import RelationAction, product_relation_apply
from catalog.selectors import product_relations


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


class CertificateForm(forms.Form):
    title = forms.CharField(label=_lazy("Title"), max_length=255)
    number = forms.CharField(label=_lazy("Number"), max_length=64)
    valid_until = forms.DateField(
        label=_lazy("Valid until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    file = forms.FileField(
        label=_lazy("File (PDF, JPEG or PNG, up to 20 MB)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": "application/pdf,image/jpeg,image/png"}
        ),
    )


@staff_member_required(login_url="dashboard:login")
@require_http_methods(["GET", "POST"])
def product_certificates_view(request, pk):
    """A product's certificates: the list, upload and removal."""
    product = get_object_or_404(Product, pk=pk)
    form = CertificateForm()
    if request.method == "POST" and request.POST.get("delete"):
        if not request.POST["delete"].isdigit():
            raise Http404("No such certificate.")
        certificate = get_object_or_404(
            ProductCertificate, product=product, pk=request.POST["delete"]
        )
        product_certificate_delete(certificate=certificate)
        messages.success(request, _("The certificate is removed."))
        return redirect("dashboard-catalog:certificates", pk=product.pk)
    if request.method == "POST":
        form = CertificateForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                product_certificate_add(
                    product=product, uploaded_by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                messages.success(request, _("The certificate is attached."))
                return redirect("dashboard-catalog:certificates", pk=product.pk)
    return render(
        request,
        "catalog/dashboard/certificates.html",
        {
            "product": product,
            "certificates": product.certificates.select_related("uploaded_by"),
            "form": form,
        },
        status=400 if form.errors else 200,
    )
