"""StreamField blocks of landing pages, articles and case studies.

Prices never come from the editor: the live catalogue block picks products and renders
them with the visitor's own pricing strategy (`request.strategy`)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from catalog.articles import article_normalize
from catalog.models import Product
from search.selectors import ResultRow, availability_map, prefetch_for_listing

CATALOG_BLOCK_MAX_PRODUCTS = 24

# The values of `content.models.Lead.Kind` (the models import these blocks, so the
# blocks cannot import the models; tests/content/test_pages.py keeps the two equal).
LEAD_KINDS = [
    ("consultation", _("Consultation")),
    ("proposal", _("Commercial proposal")),
]


class HeroBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=160)
    text = blocks.TextBlock(label=_("Text"), required=False)
    cta_label = blocks.CharBlock(label=_("Button label"), max_length=64)
    cta_action = blocks.ChoiceBlock(
        label=_("Button opens"),
        choices=[("link", _("A link")), ("form", _("The request form"))],
        default="form",
    )
    cta_url = blocks.CharBlock(
        label=_("Link"),
        required=False,
        max_length=255,
        help_text=_("Only for “A link”: a path on this site or a full address."),
    )
    form_kind = blocks.ChoiceBlock(
        label=_("Request form opens on"), choices=LEAD_KINDS, default="proposal"
    )

    class Meta:
        icon = "pick"
        label = _("Hero")
        template = "content/blocks/hero.html"

    def clean(self, value):
        value = super().clean(value)
        if value["cta_action"] == "link" and not value["cta_url"].strip():
            raise StructBlockValidationError(
                block_errors={
                    "cta_url": ValidationError(
                        _("Give the link the button opens, or let it open the form.")
                    )
                }
            )
        return value


class BenefitBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), required=False)
    icon = blocks.ChoiceBlock(
        label=_("Icon"),
        required=False,
        choices=[
            ("search", _("Search")),
            ("price", _("Price")),
            ("credit", _("Credit")),
            ("documents", _("Documents")),
            ("delivery", _("Delivery")),
            ("certificate", _("Certificate")),
            ("support", _("Support")),
        ],
    )


class BenefitsBlock(blocks.StructBlock):
    items = blocks.ListBlock(BenefitBlock(), label=_("Benefits"), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Benefits")
        template = "content/blocks/benefits.html"


class FaqBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("question", blocks.CharBlock(label=_("Question"), max_length=200)),
                ("answer", blocks.TextBlock(label=_("Answer"))),
            ]
        ),
        label=_("Questions"),
        min_num=1,
    )

    class Meta:
        icon = "help"
        label = _("Questions and answers")
        template = "content/blocks/faq.html"


class CategoryChooserBlock(blocks.ChooserBlock):
    """An Oscar category, picked from a list showing the full path."""

    target_model = "catalogue.Category"

    @property
    def widget(self):
        return forms.Select

    @property
    def field(self):
        field = super().field
        field.queryset = field.queryset.order_by("path")
        field.label_from_instance = lambda category: category.full_name
        return field

    def get_form_state(self, value):
        # A plain select takes the id (ChooserBlock's state is for chooser widgets).
        return self.field.widget.format_value(self.field.prepare_value(value))

    class Meta:
        icon = "folder-open-inverse"


def _catalog_products(value) -> list[Product]:
    """The products a live catalogue block shows: those typed by article first (in
    the editor's order), then the chosen categories (with their subcategories)."""
    limit = min(value["limit"] or 6, CATALOG_BLOCK_MAX_PRODUCTS)
    base = Product.objects.browsable().select_related("manufacturer", "product_class")
    articles = [
        article_normalize(a)
        for a in value["articles"].replace("\n", ",").split(",")
        if a.strip()
    ]
    chosen: list[Product] = []
    if articles:
        found = {p.article_normalized: p for p in base.filter(
            article_normalized__in=articles
        )}  # fmt: skip
        chosen = [found[a] for a in dict.fromkeys(articles) if a in found][:limit]
    categories = [c for c in value["categories"] if c is not None]
    if categories and len(chosen) < limit:
        subtree = Q()
        for category in categories:
            subtree |= Q(categories__path__startswith=category.path)
        chosen += list(
            base.filter(subtree)
            .exclude(pk__in=[p.pk for p in chosen])
            .distinct()
            .order_by("title", "pk")[: limit - len(chosen)]
        )
    return chosen


class LiveCatalogBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    categories = blocks.ListBlock(
        CategoryChooserBlock(label=_("Category")),
        label=_("Categories"),
        default=[],
        help_text=_("Products of these categories and their subcategories."),
    )
    articles = blocks.TextBlock(
        label=_("Article numbers"),
        required=False,
        help_text=_("Optional: article numbers separated by commas, shown first."),
    )
    limit = blocks.IntegerBlock(
        label=_("How many products"),
        default=6,
        min_value=1,
        max_value=CATALOG_BLOCK_MAX_PRODUCTS,
    )

    class Meta:
        icon = "table"
        label = _("Live catalogue")
        template = "content/blocks/live_catalog.html"
        help_text = _(
            "Each visitor sees their own price and stock; prices are never typed here."
        )

    def clean(self, value):
        # A block with nothing chosen would show visitors an empty catalogue.
        value = super().clean(value)
        if not any(value["categories"]) and not value["articles"].strip():
            raise StructBlockValidationError(
                non_block_errors=[
                    ValidationError(
                        _("Choose at least one category or give article numbers.")
                    )
                ]
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = (parent_context or {}).get("request")
        products = _catalog_products(value)
        prefetch_for_listing(request=request, products=products)
        stock = availability_map(
            products=products, strategy=getattr(request, "strategy", None)
        )
        context["rows"] = [
            ResultRow(
                product=p,
                matched_on=None,
                availability=stock[p.pk][0],
                in_stock=stock[p.pk][1],
            )
            for p in products
        ]
        return context


class CaseStudyTeaserBlock(blocks.StructBlock):
    case_study = blocks.PageChooserBlock(
        label=_("Case study"), page_type="content.CaseStudyPage"
    )

    class Meta:
        icon = "doc-full"
        label = _("Case study")
        template = "content/blocks/case_study_teaser.html"


class TestimonialBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    person = blocks.CharBlock(label=_("Person"), max_length=120)
    company = blocks.CharBlock(label=_("Company"), required=False, max_length=120)

    class Meta:
        icon = "openquote"
        label = _("Testimonial")
        template = "content/blocks/testimonial.html"


class FigureBlock(blocks.StructBlock):
    number = blocks.CharBlock(label=_("Number"), max_length=24)
    label = blocks.CharBlock(label=_("Label"), max_length=120)


class FiguresBlock(blocks.StructBlock):
    items = blocks.ListBlock(FigureBlock(), label=_("Figures"), min_num=1)

    class Meta:
        icon = "order"
        label = _("Figures")
        template = "content/blocks/figures.html"


class LeadFormBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    kind = blocks.ChoiceBlock(
        label=_("Request"), choices=LEAD_KINDS, default="consultation"
    )

    class Meta:
        icon = "form"
        label = _("Request form")
        template = "content/blocks/lead_form.html"


class DownloadBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False)
    document = DocumentChooserBlock(label=_("Document"))
    # Gated: the visitor leaves a name and a phone or e-mail first (a lead).
    gated = blocks.BooleanBlock(
        label=_("Ask for contacts before the download"), required=False
    )

    class Meta:
        icon = "download"
        label = _("Download")
        template = "content/blocks/download.html"


class LandingStreamBlock(blocks.StreamBlock):
    hero = HeroBlock()
    benefits = BenefitsBlock()
    faq = FaqBlock()
    live_catalog = LiveCatalogBlock()
    case_study = CaseStudyTeaserBlock()
    testimonial = TestimonialBlock()
    figures = FiguresBlock()
    lead_form = LeadFormBlock()
    download = DownloadBlock()


class HomeBenefitsStreamBlock(blocks.StreamBlock):
    """The home page's benefit cards, one block each."""

    benefit = BenefitBlock()


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "content/blocks/image.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Quote"))
    attribution = blocks.CharBlock(label=_("Who said it"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Quote")
        template = "content/blocks/quote.html"


class ArticleStreamBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        label=_("Text"), features=["h2", "h3", "bold", "italic", "ol", "ul", "link"]
    )
    image = ImageBlock()
    quote = QuoteBlock()


class ResultFiguresStreamBlock(blocks.StreamBlock):
    figure = FigureBlock(label=_("Figure"))
