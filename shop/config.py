"""Oscar's root app config, without the home-page redirect that would hide Wagtail's `/`."""

from oscar.config import Shop


class ShopOscarConfig(Shop):
    def get_urls(self):
        # Oscar's first pattern redirects "" to OSCAR_HOMEPAGE; `/` belongs to Wagtail.
        return [p for p in super().get_urls() if getattr(p, "name", None) != "home"]
