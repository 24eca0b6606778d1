from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportingConfig(AppConfig):
    """Its own label, so its job rows are not catalogue writes (`catalog.cache`)."""

    name = "catalog.importing"
    label = "importing"
    verbose_name = _("Catalogue imports and exports")
