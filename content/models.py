"""Wagtail pages of the public site and the leads its short forms collect."""

from urllib.parse import urlsplit

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from accounts.models import Industry, SizeBand
from content.blocks import (
    ArticleStreamBlock,
    HomeBenefitsStreamBlock,
    LandingStreamBlock,
    ResultFiguresStreamBlock,
)


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
    # The cards under the first screen; blank shows the site's standard cards.
    benefits = StreamField(
        HomeBenefitsStreamBlock(), verbose_name=_("Benefit cards"), blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("headline"),
        FieldPanel("lead"),
        FieldPanel("cta_label"),
        FieldPanel("cta_url"),
        FieldPanel("benefits"),
        FieldPanel("delivery_note"),
        FieldPanel("certificates_note"),
        FieldPanel("experience_note"),
        FieldPanel("body"),
    ]

    max_count = 1
    subpage_types = [
        "content.ContentPage",
        "content.LandingPage",
        "content.ArticleIndexPage",
        "content.CaseStudyPage",
    ]

    class Meta:
        verbose_name = _("Home page")

    def meta_description(self) -> str:
        """For search results and link previews (`shop_seo.page_meta_description`)."""
        return self.search_description or self.lead


class ContentPage(Page):
    """A plain article or information page."""

    intro = models.TextField(_("Introduction"), blank=True)
    body = RichTextField(_("Body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    subpage_types = ["content.ContentPage"]

    class Meta:
        verbose_name = _("Content page")

    def meta_description(self) -> str:
        return self.search_description or self.intro


class LandingPage(Page):
    """A page for one audience (industry, size, region), built of blocks by editors."""

    industry = models.CharField(
        _("Industry"), max_length=32, choices=Industry.choices, blank=True
    )
    size_band = models.CharField(
        _("Company size"), max_length=16, choices=SizeBand.choices, blank=True
    )
    region = models.CharField(_("Region"), max_length=128, blank=True)
    body = StreamField(LandingStreamBlock(), verbose_name=_("Body"), blank=True)

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("industry"), FieldPanel("size_band"), FieldPanel("region")],
            heading=_("Audience"),
        ),
        FieldPanel("body"),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Segment landing page")
        verbose_name_plural = _("Segment landing pages")

    def meta_description(self) -> str:
        """The search description, else the first screen's text."""
        if self.search_description:
            return self.search_description
        for block in self.body:
            if block.block_type == "hero":
                return block.value.get("text", "")
        return ""


class ArticleIndexPage(Page):
    """The list of articles, newest first."""

    intro = models.TextField(_("Introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["content.HomePage"]
    subpage_types = ["content.ArticlePage"]

    class Meta:
        verbose_name = _("Article index")

    def meta_description(self) -> str:
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["articles"] = (
            ArticlePage.objects.live()
            .child_of(self)
            .order_by("-date", "-pk")
            .prefetch_related("tags")
        )
        return context


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "content.ArticlePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ArticlePage(Page):
    """An article: author, date, intro, body blocks; related articles share a tag."""

    RELATED_COUNT = 3

    author = models.CharField(_("Author"), max_length=120, blank=True)
    date = models.DateField(_("Date"), default=timezone.localdate)
    intro = models.TextField(_("Introduction"), blank=True)
    body = StreamField(ArticleStreamBlock(), verbose_name=_("Body"), blank=True)
    tags = ClusterTaggableManager(
        verbose_name=_("Tags"), through=ArticlePageTag, blank=True
    )

    content_panels = Page.content_panels + [
        MultiFieldPanel(
            [FieldPanel("author"), FieldPanel("date"), FieldPanel("tags")],
            heading=_("Article"),
        ),
        FieldPanel("intro"),
        FieldPanel("body"),
    ]
    parent_page_types = ["content.ArticleIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Article")
        verbose_name_plural = _("Articles")

    def meta_description(self) -> str:
        return self.search_description or self.intro

    def related_articles(self):
        """Live articles in this one's language sharing a tag with it, newest
        first."""
        return (
            ArticlePage.objects.live()
            .filter(locale_id=self.locale_id, tags__in=self.tags.all())
            .exclude(pk=self.pk)
            .distinct()
            .order_by("-date", "-pk")[: self.RELATED_COUNT]
        )


class CaseStudyPage(Page):
    """A customer's story: the problem, what was done and the figures it changed."""

    customer = models.CharField(_("Customer"), max_length=160)
    industry = models.CharField(
        _("Industry"), max_length=32, choices=Industry.choices, blank=True
    )
    problem = models.TextField(_("The problem"), blank=True)
    solution = RichTextField(_("Solution"), blank=True)
    results = StreamField(
        ResultFiguresStreamBlock(), verbose_name=_("Result figures"), blank=True
    )

    content_panels = Page.content_panels + [
        FieldPanel("customer"),
        FieldPanel("industry"),
        FieldPanel("problem"),
        FieldPanel("solution"),
        FieldPanel("results"),
    ]
    parent_page_types = ["content.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("Case study")
        verbose_name_plural = _("Case studies")

    def meta_description(self) -> str:
        return self.search_description or self.problem


class Lead(models.Model):
    """A request left through a short form: who, how to reach them, from which page,
    and (when signed in) the person and the company behind it."""

    class Kind(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation")
        PROPOSAL = "proposal", _("Commercial proposal")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        MQL = "mql", _("Marketing qualified")
        SQL = "sql", _("Sales qualified")
        OPPORTUNITY = "opportunity", _("Opportunity")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        DISQUALIFIED = "disqualified", _("Disqualified")

    kind = models.CharField(
        _("Request"), max_length=16, choices=Kind.choices, default=Kind.CONSULTATION
    )
    status = models.CharField(
        _("Status"), max_length=16, choices=Status.choices, default=Status.NEW
    )
    # Why the lead was disqualified or lost.
    status_reason = models.CharField(_("Reason"), max_length=255, blank=True)
    # When the lead first reached each stage (a later stage sets the earlier ones
    # it skipped): the funnel report counts these, whatever the status is now.
    mql_at = models.DateTimeField(_("Marketing qualified"), null=True, blank=True)
    sql_at = models.DateTimeField(_("Sales qualified"), null=True, blank=True)
    opportunity_at = models.DateTimeField(_("Opportunity"), null=True, blank=True)
    closed_at = models.DateTimeField(_("Closed"), null=True, blank=True)
    # The company's account manager when known; none means the sales queue.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_leads",
        limit_choices_to={"is_staff": True},
    )
    name = models.CharField(_("Name"), max_length=150, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("Phone"), max_length=32, blank=True)
    # A tax number given in the form, to match the company (`Company.tax_id`).
    inn = models.CharField(_("INN"), max_length=20, blank=True)
    page = models.CharField(_("Page"), max_length=255, blank=True)
    # The Wagtail page the form was sent from, when it was one (segment, funnel).
    source_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Source page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Consent to the processing of personal data (152-FZ): when, and the very
    # text the person agreed to.
    consent_at = models.DateTimeField(_("Consent given"), null=True, blank=True)
    consent_text = models.TextField(_("Consent text"), blank=True)
    # The anonymous visitor (`Event.visitor_id`) who sent the form.
    visitor_id = models.CharField(_("Visitor"), max_length=36, blank=True)
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
    # Where the lead came from (`content.touches`): the first campaign or outside
    # visit and the page the form was sent from, each a dict of known keys (UTM
    # source/medium/campaign/term/content, referrer, landing_url, at). The first
    # touch's referrer and landing URL (else the last touch's) also as columns, to
    # search and list.
    first_touch = models.JSONField(_("First touch"), default=dict, blank=True)
    last_touch = models.JSONField(_("Last touch"), default=dict, blank=True)
    referrer = models.CharField(_("Referrer"), max_length=500, blank=True)
    landing_url = models.CharField(_("Landing page"), max_length=500, blank=True)
    # The first touch's UTM source and campaign, as columns to filter and group by.
    utm_source = models.CharField(_("UTM source"), max_length=100, blank=True)
    utm_campaign = models.CharField(_("UTM campaign"), max_length=100, blank=True)
    # Repeated requests from the same contact within the window merge into one lead.
    submissions = models.PositiveIntegerField(_("Requests"), default=1)
    created_at = models.DateTimeField(_("Created"), default=timezone.now)
    updated_at = models.DateTimeField(_("Updated"), default=timezone.now)

    class Meta:
        verbose_name = _("Lead")
        verbose_name_plural = _("Leads")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""), name="lead_has_contact"
            )
        ]
        indexes = [
            models.Index(fields=["created_at"]),
            models.Index(fields=["status"]),
            models.Index(fields=["email"]),
            models.Index(fields=["phone"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.name or self.email or self.phone}"

    @property
    def contact(self) -> str:
        return self.email or self.phone

    @property
    def source(self) -> str:
        """The first touch's "source / medium / campaign", or the referrer's host."""
        touch = self.first_touch or self.last_touch or {}
        utm = [
            touch.get(key, "") for key in ("utm_source", "utm_medium", "utm_campaign")
        ]
        if any(utm):
            return " / ".join(value or "—" for value in utm)
        return urlsplit(self.referrer).hostname or ""


class LeadNote(models.Model):
    """A note by whoever works the lead: a call, a promise, the next step."""

    lead = models.ForeignKey(
        Lead, verbose_name=_("Lead"), on_delete=models.CASCADE, related_name="notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("Author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("Note"))
    created_at = models.DateTimeField(_("Created"), default=timezone.now)

    class Meta:
        verbose_name = _("Lead note")
        verbose_name_plural = _("Lead notes")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text[:60]


@register_setting(icon="form")
class LeadSettings(BaseSiteSetting):
    """What the short forms ask the person to agree to (152-FZ), editable by editors."""

    consent_text = models.TextField(
        _("Consent to personal data processing"),
        blank=True,
        help_text=_("Blank shows the site's standard text."),
    )
    privacy_policy_url = models.CharField(
        _("Privacy policy link"),
        max_length=255,
        blank=True,
        help_text=_("A path on this site or a full address."),
    )

    panels = [FieldPanel("consent_text"), FieldPanel("privacy_policy_url")]

    class Meta:
        verbose_name = _("Request forms")


class Event(models.Model):
    """A target action of a visitor, a person or a company: one row each, for the
    funnel report. Anonymous rows carry the visitor id; signing in or registering
    fills in the person (and company) on that visitor's earlier rows."""

    class Kind(models.TextChoices):
        LANDING_VIEW = "landing_view", _("Landing page view")
        FORM_SUBMIT = "form_submit", _("Form submission")
        DOWNLOAD = "download", _("Download")
        REGISTRATION = "registration", _("Registration")
        FIRST_ORDER = "first_order", _("First order")
        QUOTE_REQUEST = "quote_request", _("Quote request")
        INVOICE_REQUEST = "invoice_request", _("Invoice request")

    kind = models.CharField(_("Action"), max_length=24, choices=Kind.choices)
    visitor_id = models.CharField(_("Visitor"), max_length=36, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("User"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    company = models.ForeignKey(
        "accounts.Company",
        verbose_name=_("Company"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    lead = models.ForeignKey(
        Lead,
        verbose_name=_("Lead"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("Page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("Document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    path = models.CharField(_("Path"), max_length=255, blank=True)
    utm_source = models.CharField(_("UTM source"), max_length=100, blank=True)
    utm_medium = models.CharField(_("UTM medium"), max_length=100, blank=True)
    utm_campaign = models.CharField(_("UTM campaign"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("When"), default=timezone.now)

    class Meta:
        verbose_name = _("Target action")
        verbose_name_plural = _("Target actions")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "created_at"]),
            models.Index(fields=["visitor_id"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
