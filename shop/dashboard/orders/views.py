"""Oscar's order pages, each reading orders through the company scope of the staff
user (`accounts.staff.staff_scope`): another company's order is a 404. The order
list's CSV download writes formula-safe cells."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404
from oscar.apps.dashboard.orders import views
from oscar.apps.dashboard.orders.views import queryset_orders_for_user

from accounts.staff import staff_scope
from sales.order.models import Line, Order, ShippingAddress
from shop.dashboard.exports import cell_safe


def orders_for_staff(user):
    """The orders `user` may open in the dashboard, with what the pages show."""
    return staff_scope(queryset_orders_for_user(user), user=user)


def order_for_staff_or_404(user, number: str) -> Order:
    return get_object_or_404(orders_for_staff(user), number=number)


class OrderListView(views.OrderListView):
    def dispatch(self, request, *args, **kwargs):
        # Oscar's dispatch would set an unscoped base queryset: skip to ListView's.
        self.base_queryset = orders_for_staff(request.user).order_by("-date_placed")
        return super(views.OrderListView, self).dispatch(request, *args, **kwargs)

    def get_row_values(self, order):
        # The CSV download (?response_format=csv and "download selected"): e-mails
        # and address names are the customer's words.
        return {key: cell_safe(v) for key, v in super().get_row_values(order).items()}


class OrderStatsView(views.OrderStatsView):
    def get_stats(self, filters):
        orders = orders_for_staff(self.request.user).filter(**filters)
        return {
            "total_orders": orders.count(),
            "total_lines": Line.objects.filter(order__in=orders).count(),
            "total_revenue": orders.aggregate(total=Sum("total_incl_tax"))["total"]
            or Decimal("0.00"),
            "order_status_breakdown": orders.order_by("status")
            .values("status")
            .annotate(freq=Count("id")),
        }


class OrderDetailView(views.OrderDetailView):
    def get_object(self, queryset=None):
        return order_for_staff_or_404(self.request.user, self.kwargs["number"])


class LineDetailView(views.LineDetailView):
    def get_object(self, queryset=None):
        order = order_for_staff_or_404(self.request.user, self.kwargs["number"])
        try:
            return order.lines.get(pk=self.kwargs["line_id"])
        except Line.DoesNotExist as exc:
            raise Http404 from exc


class ShippingAddressUpdateView(views.ShippingAddressUpdateView):
    def get_object(self, queryset=None):
        order = order_for_staff_or_404(self.request.user, self.kwargs["number"])
        return get_object_or_404(ShippingAddress, order=order)
