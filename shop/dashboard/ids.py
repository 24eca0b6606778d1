"""Oscar's dashboards take some object ids as any string (`<str:pk>`) and pass them
to the database, which answers a non-number with a 500. `IntegerIdsMixin` makes
those routes `<int:pk>`, so anything else is a plain 404."""

from django.urls import URLPattern
from django.urls.resolvers import RoutePattern


class IntegerIdsMixin:
    def post_process_urls(self, urlpatterns):
        for pattern in urlpatterns:
            route = getattr(pattern.pattern, "_route", "")
            if isinstance(pattern, URLPattern) and "<str:pk>" in route:
                pattern.pattern = RoutePattern(
                    route.replace("<str:pk>", "<int:pk>"),
                    name=pattern.pattern.name,
                    is_endpoint=True,
                )
        return super().post_process_urls(urlpatterns)
