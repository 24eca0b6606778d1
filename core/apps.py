from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The toolkit is an app for two tables: the e-mails already sent (`SentMail`)
    and the answers kept for API idempotency keys (`IdempotentRequest`)."""

    name = "core"
    label = "core"
    verbose_name = _("Background tasks and e-mail")
