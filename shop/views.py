"""Site-wide views: the home page (Wagtail's root) and styled error pages."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from wagtail.views import serve


def home(request):
    # `/` is Wagtail's home page; named "home" because Oscar's templates link to it.
    return serve(request, "")


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # A static page rendered without a request context: it must render even when the
    # database, the cache or a context processor is what failed.
    return HttpResponseServerError(loader.get_template("500.html").render())
