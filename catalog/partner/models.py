"""Warehouses (Oscar partners) with delivery lead times, and their stock records."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner


class Partner(AbstractPartner):
    """A warehouse of the seller. Stock records per product hang from it."""

    city = models.CharField(_("City"), max_length=128, blank=True)
    # Working days from order to dispatch; 0 means same day from stock on hand.
    lead_time_min_days = models.PositiveSmallIntegerField(
        _("Lead time from, days"), default=0
    )
    lead_time_max_days = models.PositiveSmallIntegerField(
        _("Lead time to, days"), default=1
    )
    # Working days until stock this warehouse does not have arrives from its
    # supplier: what a back-ordered quantity is promised for (plus the lead time).
    restock_days = models.PositiveSmallIntegerField(
        _("Restock time, days"),
        default=10,
        help_text=_("Working days to receive goods it is out of (back-orders)."),
    )
    is_default = models.BooleanField(
        _("Default warehouse"),
        default=False,
        help_text=_("Receives the stock column of imports."),
    )
    priority = models.PositiveSmallIntegerField(
        _("Priority"), default=100, help_text=_("Lower ships first.")
    )

    class Meta(AbstractPartner.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="partner_one_default",
            ),
            models.CheckConstraint(
                condition=Q(lead_time_max_days__gte=models.F("lead_time_min_days")),
                name="partner_lead_time_range",
            ),
        ]


from oscar.apps.partner.models import *  # noqa: E402,F401,F403
