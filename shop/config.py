"""Oscar's root app config, without the home-page redirect that would hide Wagtail's `/`,
and with our password-reset request and confirmation views."""

from django.urls import path
from oscar.config import Shop


class ShopOscarConfig(Shop):
    def get_urls(self):
        # Imported here: this module loads with INSTALLED_APPS, before any model can.
        from oscar.views.decorators import login_forbidden

        from accounts.views import PasswordResetConfirmView, PasswordResetView

        # Rate-limited requests; a new password lifts the login lockouts.
        ours = {
            "password-reset": PasswordResetView,
            "password-reset-confirm": PasswordResetConfirmView,
        }
        urls = []
        for pattern in super().get_urls():
            name = getattr(pattern, "name", None)
            if name == "home":
                continue  # Oscar's redirects "" to OSCAR_HOMEPAGE; `/` is Wagtail's.
            if name in ours:
                view = login_forbidden(ours[name].as_view())
                pattern = path(str(pattern.pattern), view, name=name)
            urls.append(pattern)
        return urls
