"""The product page: Oscar's detail view with article numbers, stock per warehouse,
analogues, substitutes and the successor."""

from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

from catalog.product_views import product_view_count
from catalog.selectors import product_relations


class ProductDetailView(OscarProductDetailView):
    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("manufacturer", "product_class", "successor")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        strategy = self.request.strategy

        def availability(products):  # the strategy's stock, loaded once for both
            strategy.prefetch(products)
            return {p.pk: strategy.stock_availability(p) for p in products}

        context["relations"] = product_relations(
            product=self.object, availability=availability
        )
        return context

    def send_signal(self, request, response, product):
        """A signed-in user's view goes to Oscar's receivers (the user's analytics
        rows, the recently-viewed cookie). A visitor's is only counted, in memory
        (`catalog.product_views`): no write per page, and no recently-viewed cookie
        — nothing in this shop shows it, and a page that sets a cookie cannot be
        shared through the page cache (`shop.cache`)."""
        if request.user.is_authenticated:
            super().send_signal(request, response, product)
        else:
            product_view_count(product_id=product.pk)
