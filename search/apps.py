"""Oscar's search app, forked: our search interface, backends, pages and autocomplete."""

import oscar.apps.search.apps as apps
from django.urls import path


class SearchConfig(apps.SearchConfig):
    name = "search"

    def ready(self):
        super().ready()
        from search import signals  # noqa: F401  (keeps the index current)

    def get_urls(self):
        from search.views import autocomplete

        urlpatterns = [
            path("", self.search_view.as_view(), name="search"),
            path("autocomplete/", autocomplete, name="autocomplete"),
        ]
        return self.post_process_urls(urlpatterns)
