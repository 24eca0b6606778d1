"""Oscar's checkout app with its multi-step views replaced by one B2B page."""

import oscar.apps.checkout.apps as apps
from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.module_loading import import_string


class CheckoutConfig(apps.CheckoutConfig):
    name = "sales.checkout"

    def get_urls(self):
        # Strings: views import models, which are not ready when apps.py loads.
        urls = [
            path("", import_string("sales.checkout.views.checkout"), name="index"),
            path(
                "thank-you/<str:number>/",
                import_string("sales.checkout.views.thank_you"),
                name="thank-you",
            ),
        ]
        return self.post_process_urls(urls)

    def get_url_decorator(self, pattern):
        return login_required
