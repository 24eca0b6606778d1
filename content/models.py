"""Wagtail pages of the public site and the leads its short forms collect."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The first screen: what is offered, for whom, and one call to action."""

    headline = models.CharField(_("Headline"), max_length=160, blank=True)
    lead = models.TextField(_("Lead paragraph"), blank=True)
    cta_label = models.CharField(_("Call to action"), max_length=64, blank=True)
    cta_url = models.CharField(_("Call to action link"), max_length=255, blank=True)
    body = RichTextField(_("Body"), blank=True)
    # Answers to the three usual objections; blank shows the site's standard text.
    delivery_note = models.TextField(_("Delivery times"), blank=True)
    certificates_note = models.TextField(_("Certificates and documents"), blank=True)
    experience_note = models.TextField(_("Experience"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("headline"),
        FieldPanel("lead"),
        FieldPanel("cta_label"),
        FieldPanel("cta_url"),
        FieldPanel("delivery_note"),
        FieldPanel("certificates_note"),
        FieldPanel("experience_note"),
        FieldPanel("body"),
    ]

    max_count = 1
    subpage_types = ["content.ContentPage"]

    class Meta:
        verbose_name = _("Home page")


class ContentPage(Page):
    """A plain article or information page."""

    intro = models.TextField(_("Introduction"), blank=True)
    body = RichTextField(_("Body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["content.ContentPage"]

    class Meta:
        verbose_name = _("Content page")


class Lead(models.Model):
    """A request left through a short form: who, how to reach them, from which page,
    and (when signed in) the person and the company behind it."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        PROPOSAL = "proposal", _("Commercial proposal")

    kind = models.CharField(
        _("Request"), max_length=16, choices=Kind.choices, default=Kind.CONSULTATION
    )
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    page = models.CharField(_("Page"), max_length=255, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("Company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="leads",
    )
    created_at = models.DateTimeField(_("Created"), default=timezone.now)

    class Meta:
        verbose_name = _("Lead")
        verbose_name_plural = _("Leads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="lead_has_contact"
            )
        ]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name or self.email or self.phone}"

    @property
    def contact(self) -> str:
        return self.email or self.phone
