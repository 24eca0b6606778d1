"""Oscar's catalogue dashboard, forked for its views (`views`): object ids that are no
number are a 404, and the product lookup refuses a page number that is not one.

The routes keep Oscar's `<str:pk>`: its product-type form reverses them with a
`__fk__` placeholder for its JavaScript."""

import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    name = "shop.dashboard.catalogue"
