"""Oscar's catalogue app, forked: our Product lives here under the label "catalogue"."""

import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        super().ready()
        from catalog.cache import catalog_cache_watch

        catalog_cache_watch()  # the cache version follows every catalogue write

        # Browsing and category pages are search result pages; in Oscar they come from
        # the (haystack-based) search app, and here from ours. Product pages stay ours.
        from search.views import CatalogueView, ProductCategoryView

        self.catalogue_view = CatalogueView
        self.category_view = ProductCategoryView
