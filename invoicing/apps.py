from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    label = "invoicing"
    verbose_name = _("Invoicing and payments")

    def ready(self):
        from invoicing import receivers  # noqa: F401  (connects the signal receivers)
