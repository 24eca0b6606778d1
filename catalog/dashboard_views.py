"""Staff pages: editing a product's analogues, substitutes and successor (the import
and export pages are `catalog.importing.views`)."""

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from catalog.models import Product
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
