"""The product page: Oscar's detail view with article numbers, stock per warehouse,
analogues, substitutes and the successor."""

from oscar.apps.catalogue.views import ProductDetailView as OscarProductDetailView

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
        relations = product_relations(product=self.object)
        self.request.strategy.prefetch([self.object, *relations.products])
        context["relations"] = relations
        return context
