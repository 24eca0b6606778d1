from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class InvoicingConfig(AppConfig):
    name = "invoicing"
    label = "invoicing"
    verbose_name = _("Invoicing and payments")

    def ready(self):
        from invoicing import receivers  # noqa: F401  (connects the signal receivers)
        from invoicing.groups import finance_group_sync

        # After Django's own receiver (auth, earlier in INSTALLED_APPS) has created
        # this app's permissions.
        post_migrate.connect(
            finance_group_sync, sender=self, dispatch_uid="invoicing.finance_group"
        )
