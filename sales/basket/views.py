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
from sales.basket.selectors import part_numbers_for_lines, voucher_offer_available
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
        offers_before = request.basket.applied_offers()
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
            # Oscar's "new total" (net, like the header) and offer changes.
            oscar_views.BasketMessageGenerator().apply_messages(request, offers_before)
        return redirect(_next_url(request))


class BasketView(oscar_views.BasketView):
    """The basket page: a changed quantity or a removal goes through
    `basket_lines_update` (fitted, re-priced, told), never straight to the line.
    Each line shows the company's own part number; the code box only when a
    voucher offer is on; the documents (list, invoice, quote) per the member's
    role."""

    def get_basket_voucher_form(self):
        basket = self.request.basket
        if basket.pk and basket.vouchers.exists():
            return super().get_basket_voucher_form()
        return super().get_basket_voucher_form() if voucher_offer_available() else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        basket = self.request.basket
        lines = basket.all_lines()
        context["part_numbers"] = part_numbers_for_lines(
            company=self.request.company,
            product_ids=[line.product_id for line in lines],
        )
        membership = self.request.membership
        context["may_order"] = bool(membership and membership.can_order)
        return context

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
                quantities=_changed_quantities(formset, self.request.POST),
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


class BasketClearView(View):
    """POST: remove every line of the basket (the page asks to confirm first)."""

    http_method_names = ["post"]

    def post(self, request):
        basket = request.basket
        if basket.pk is not None:
            basket_lines_update(
                basket=basket,
                membership=request.membership,
                quantities={pk: 0 for pk in basket.lines.values_list("pk", flat=True)},
            )
            messages.success(request, _("The basket is empty now."))
        return redirect("basket:summary")


def _changed_quantities(formset, data) -> dict[int, object]:
    """Line id → new quantity (0: remove) for the forms the buyer changed; the
    line's "Remove" button (`remove` = the form's prefix) works without JS."""
    quantities = {}
    remove = data.get("remove")
    for form in formset:
        line = form.instance
        if not line.pk:
            continue
        if form.cleaned_data.get("DELETE") or form.prefix == remove:
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
