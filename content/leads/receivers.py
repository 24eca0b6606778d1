"""The lead pipeline's answers to what happens elsewhere: a registration makes the
person's leads theirs and their company's (`leads_match_registered`; it must not
break the registration, so a failure is logged, not raised), and a saved consent
setting drops its cached copy. Connected in `ContentConfig.ready`."""

import logging

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from accounts.signals import user_registered
from content.leads.consent import consent_cache_clear
from content.leads.services import leads_match_registered
from content.models import LeadSettings

logger = logging.getLogger(__name__)


@receiver(user_registered, dispatch_uid="content.leads_match_registered")
def leads_match_on_registration(sender, request, user, company, **kwargs):
    try:
        with transaction.atomic():
            leads_match_registered(user=user, company=company)
    except Exception:
        logger.exception("leads of user %s not matched", user.pk)


@receiver(post_save, sender=LeadSettings, dispatch_uid="content.lead_consent_saved")
@receiver(post_delete, sender=LeadSettings, dispatch_uid="content.lead_consent_gone")
def lead_consent_changed(sender, instance, **kwargs):
    """An editor changed the consent text: the forms show the new one at once."""
    consent_cache_clear(site_id=instance.site_id)
