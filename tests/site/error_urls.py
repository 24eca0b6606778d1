"""The site's URLs plus one view that fails, to see what a visitor gets on a 500."""

from django.urls import path

from shop.urls import handler404, handler500
from shop.urls import urlpatterns as site_urlpatterns

__all__ = ["handler404", "handler500", "urlpatterns"]


def broken(request):
    raise RuntimeError("the database went away")


urlpatterns = [path("broken/", broken), *site_urlpatterns]
