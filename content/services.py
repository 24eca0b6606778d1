"""Writes of the content app: storing a lead and telling the sales team about it."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Company, User
from content.models import Lead


def lead_create(
    *,
    kind: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    page: str = "",
    user: User | None = None,
    company: Company | None = None,
) -> Lead:
    """Store the request and mail it to the shop's sales address once committed."""
    lead = Lead.objects.create(
        kind=kind,
        name=name,
        email=email,
        phone=phone,
        page=page[:255],
        user=user if user is not None and user.is_authenticated else None,
        company=company,
    )
    transaction.on_commit(lambda: _mail_sales(lead))
    return lead


def _mail_sales(lead: Lead) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        send_mail(
            _("New request: %(kind)s from %(contact)s")
            % {"kind": lead.get_kind_display(), "contact": lead.contact},
            render_to_string("content/email/lead.txt", {"lead": lead}),
            settings.DEFAULT_FROM_EMAIL,
            [settings.SHOP_EMAIL],
        )
