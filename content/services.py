"""Writes of the content app: storing a lead and telling the sales team about it."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import Company, User
from content.models import Lead
from content.touches import touch_clean
from core.mail import mail_enqueue


def lead_create(
    *,
    kind: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    page: str = "",
    user: User | None = None,
    company: Company | None = None,
    first_touch: dict | None = None,
    last_touch: dict | None = None,
) -> Lead:
    """Store the request and mail it to the shop's sales address (a background task,
    once committed). Touches keep only their known keys, cut to length."""
    first_touch = touch_clean(first_touch or {})
    last_touch = touch_clean(last_touch or {})
    origin = first_touch or last_touch
    lead = Lead.objects.create(
        kind=kind,
        name=name,
        email=email,
        phone=phone,
        page=page[:255],
        user=user if user is not None and user.is_authenticated else None,
        company=company,
        first_touch=first_touch,
        last_touch=last_touch,
        referrer=origin.get("referrer", ""),
        landing_url=origin.get("landing_url", ""),
    )
    _mail_sales(lead)
    return lead


def _mail_sales(lead: Lead) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        mail_enqueue(
            key=f"content.lead:{lead.pk}",
            subject=_("New request: %(kind)s from %(contact)s")
            % {"kind": lead.get_kind_display(), "contact": lead.contact},
            body=render_to_string("content/email/lead.txt", {"lead": lead}),
            to=[settings.SHOP_EMAIL],
        )
