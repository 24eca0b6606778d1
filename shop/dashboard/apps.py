"""Oscar's dashboard app, forked: our home page and order pages load from this
package (Oscar finds `dashboard.*` classes here first), and it mounts the leads list."""

import oscar.apps.dashboard.apps as apps
from django.urls import path


class DashboardConfig(apps.DashboardConfig):
    name = "shop.dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        self.permissions_map["lead-list"] = ["is_staff"]

    def ready(self):
        super().ready()
        from shop.dashboard.views import lead_list

        self.lead_list_view = lead_list

    def get_urls(self):
        leads = [path("leads/", self.lead_list_view, name="lead-list")]
        return super().get_urls() + self.post_process_urls(leads)
