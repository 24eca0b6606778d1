"""Oscar's basket doors, routed through the one basket service: adding from the
product page and listings (`/basket/add/<pk>/`), changing quantities on the basket
page, and moving saved lines back into the basket. Oscar mounts these views from
its basket app config, which loads them from here (the forked `basket` label)."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from oscar.apps.basket import views as oscar_views
from oscar.apps.basket.signals import basket_addition
from oscar.core.utils import safe_referrer

from accounts.models import ActionRefused
from catalog.models import Product
from core.redirects import next_path
from sales.basket.feedback import report_messages
from sales.basket.services import basket_lines_add, basket_lines_update


def _next_url(request, default="basket:summary"):
    return next_path(request, request.POST.get("next") or "") or safe_referrer(
        request, default
    )


class BasketAddView(View):
    """POST `quantity` for one product: fitted to its MOQ and step, at the buyer's
    price, refused with the reason when it cannot be ordered."""

    http_method_names = ["post"]

    def post(self, request, pk):
        product = get_object_or_404(Product.objects.browsable(), pk=pk)
        try:
            report = basket_lines_add(
                basket=request.basket,
                membership=request.membership,
                items=[(product, request.POST.get("quantity", "1"))],
            )
        except ActionRefused as exc:
            messages.error(request, exc.message)
            return redirect(_next_url(request))
        report_messages(request, report)
        if report.lines:
            basket_addition.send(
                sender=self, product=product, user=request.user, request=request
            )
        return redirect(_next_url(request))


class BasketView(oscar_views.BasketView):
    """The basket page: a changed quantity or a removal goes through
    `basket_lines_update` (fitted, re-priced, told), never straight to the line."""

    def formset_valid(self, formset):
        offers_before = self.request.basket.applied_offers()
        saved = [
            form.instance
            for form in formset
            if form.cleaned_data.get("save_for_later") and form.instance.pk
        ]
        if saved:
            if not self.request.user.is_authenticated:
                messages.error(
                    self.request,
                    _("You can't save an item for later if you're not logged in!"),
                )
                return redirect(self.get_success_url())
            for line in saved:
                self.move_line_to_saved_basket(line)
            return redirect(self.get_success_url())
        try:
            report = basket_lines_update(
                basket=self.request.basket,
                membership=self.request.membership,
                quantities=_changed_quantities(formset),
            )
        except ActionRefused as exc:
            messages.error(self.request, exc.message)
            return redirect(self.get_success_url())
        if report.lines or report.refused:
            report_messages(self.request, report)
        oscar_views.BasketMessageGenerator().apply_messages(self.request, offers_before)
        if oscar_views.is_ajax(self.request):
            return JsonResponse({"redirect": self.get_success_url()})
        return redirect(self.get_success_url())


def _changed_quantities(formset) -> dict[int, object]:
    """Line id → new quantity (0: remove) for the forms the buyer changed."""
    quantities = {}
    for form in formset:
        line = form.instance
        if not line.pk:
            continue
        if form.cleaned_data.get("DELETE"):
            quantities[line.pk] = 0
        elif "quantity" in form.changed_data:
            quantities[line.pk] = form.cleaned_data.get("quantity") or 0
    return quantities


class SavedView(oscar_views.SavedView):
    """Lines saved for later come back through `basket_lines_add`."""

    def formset_valid(self, formset):
        moving = [
            form.instance
            for form in formset
            if form.cleaned_data.get("move_to_basket") and form.instance.pk
        ]
        if not moving:
            return super().formset_valid(formset)
        try:
            report = basket_lines_add(
                basket=self.request.basket,
                membership=self.request.membership,
                items=[(line.product, line.quantity) for line in moving],
            )
        except ActionRefused as exc:
            messages.error(self.request, exc.message)
            return redirect(self.get_success_url())
        added = {line.product.pk for line in report.lines}
        for line in moving:
            if line.product_id in added:
                line.delete()
        report_messages(self.request, report)
        return redirect(self.get_success_url())
