from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReservationsConfig(AppConfig):
    name = "sales.reservations"
    label = "reservations"
    verbose_name = _("Reservations")

    def ready(self):
        from sales.reservations import receivers  # noqa: F401  (invoice paid)
