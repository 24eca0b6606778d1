"""Oscar's ranges dashboard, forked: reordering takes product ids only (`views`)."""

import oscar.apps.dashboard.ranges.apps as apps


class RangesDashboardConfig(apps.RangesDashboardConfig):
    name = "shop.dashboard.ranges"
