"""The site itself: layout templates, context processors, the demo loader."""

from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class ShopConfig(AppConfig):
    name = "shop"
    label = "shop"
    verbose_name = "Shop"

    def ready(self):
        from shop.sites import site_sync  # models are ready only now

        # After the sites app's own post_migrate (which creates example.com); the
        # shop app has no models, so Django sends it no post_migrate of its own.
        post_migrate.connect(
            site_sync, sender=apps.get_app_config("sites"), dispatch_uid="shop.site"
        )
