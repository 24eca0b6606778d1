"""Oscar's flat pages dashboard, forked: page ids are integers in its routes."""

import oscar.apps.dashboard.pages.apps as apps

from shop.dashboard.ids import IntegerIdsMixin


class PagesDashboardConfig(IntegerIdsMixin, apps.PagesDashboardConfig):
    name = "shop.dashboard.pages"
