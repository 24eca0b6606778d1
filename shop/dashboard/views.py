"""The dashboard's home page with the figures of the companies a staff user manages,
and the leads list (/dashboard/leads/)."""

from datetime import timedelta
from decimal import Decimal

from django.core.paginator import Paginator
from django.db.models import Avg, Count, Sum
from django.shortcuts import render
from django.utils.timezone import now
from oscar.apps.dashboard import views
from oscar.apps.dashboard.nav import default_access_fn
from oscar.apps.offer.models import ConditionalOffer

from accounts.models import User
from accounts.staff import staff_scope
from catalog.models import Product
from catalog.partner.models import StockAlert
from content.models import Lead
from sales.basket.models import Basket
from sales.order.models import Line, Order

PAGE_SIZE = 25

# The index page's buttons: shown only to those whose menu would show the page.
INDEX_LINKS = {
    "orders": "dashboard:order-list",
    "products": "dashboard:catalogue-product-list",
    "stock_alerts": "dashboard:stock-alert-list",
}


class IndexView(views.IndexView):
    """Oscar's home page. Staff see the order, customer and basket figures of the
    companies they may see (`staff_scope`: all of them for superusers); the catalogue
    figures are the shop's."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        ctx["links"] = {
            key: default_access_fn(user, url_name)
            for key, url_name in INDEX_LINKS.items()
        }
        return ctx

    def get_stats(self):
        user = self.request.user
        if not user.is_staff:
            return super().get_stats()  # Oscar's figures for partner users
        since = now() - timedelta(hours=24)
        orders = staff_scope(Order.objects.all(), user=user)
        orders_last_day = orders.filter(date_placed__gt=since)
        lines = staff_scope(
            Line.objects.all(), user=user, company_path="order__company"
        )
        customers = staff_scope(
            User.objects.filter(orders__isnull=False),
            user=user,
            company_path="orders__company",
        ).distinct()
        baskets = staff_scope(
            Basket.objects.filter(status=Basket.OPEN),
            user=user,
            company_path="owner__memberships__company",
        ).distinct()
        average = orders_last_day.aggregate(avg=Avg("total_incl_tax"))["avg"]
        return {
            **_order_figures(orders, lines, suffix=""),
            **_order_figures(orders_last_day, lines, suffix="_last_day"),
            "average_order_costs": average or Decimal("0.00"),
            "hourly_report_dict": self.get_hourly_report(orders),
            "total_customers": customers.count(),
            "total_customers_last_day": customers.filter(date_joined__gt=since).count(),
            "total_open_baskets": baskets.count(),
            "total_open_baskets_last_day": baskets.filter(
                date_created__gt=since
            ).count(),
            "order_status_breakdown": orders.order_by("status")
            .values("status")
            .annotate(freq=Count("id")),
            **self._catalogue_and_offer_figures(),
        }

    def _catalogue_and_offer_figures(self):
        alerts = StockAlert.objects.all()
        offers = ConditionalOffer.objects.filter(end_datetime__gt=now())
        return {
            "total_products": Product.objects.count(),
            "total_open_stock_alerts": alerts.filter(status=StockAlert.OPEN).count(),
            "total_closed_stock_alerts": alerts.filter(
                status=StockAlert.CLOSED
            ).count(),
            "offer_maps": offers.values("offer_type")
            .annotate(count=Count("id"))
            .order_by("offer_type"),
            "total_vouchers": self.get_active_vouchers().count(),
        }


def _order_figures(orders, lines, *, suffix: str) -> dict:
    revenue = orders.aggregate(total=Sum("total_incl_tax"))["total"]
    return {
        f"total_orders{suffix}": orders.count(),
        f"total_lines{suffix}": lines.filter(order__in=orders).count(),
        f"total_revenue{suffix}": revenue or Decimal("0.00"),
    }


def lead_list(request):
    """The leads of the companies the staff user may see, newest first (the URL's
    permission lets staff only in)."""
    leads = staff_scope(
        Lead.objects.select_related("company"), user=request.user
    ).order_by("-created_at", "-pk")
    page = Paginator(leads, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "dashboard/lead_list.html", {"page_obj": page})
