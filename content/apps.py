from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from content import receivers  # noqa: F401  (target actions, visitor merge)

        # After `content.receivers`: a registration first hands the visitor's leads
        # to the person, then the lead pipeline matches the rest by e-mail.
        from content.leads import receivers as lead_receivers  # noqa: F401
        from content.leads.groups import lead_groups_sync

        # The lead groups after Django's receiver has created the permissions.
        post_migrate.connect(
            lead_groups_sync, sender=self, dispatch_uid="content.lead_groups"
        )
