"""Landing pages, articles and case studies: every block renders, the live catalogue
prices each viewer with their own strategy in a constant number of queries, the page
type rules, and the demo pages."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from wagtail.documents.models import Document
from wagtail.models import Page, Revision

from catalog.models import ProductCategory
from catalog.pricing.models import PriceList
from content.blocks import LEAD_KINDS
from content.models import (
    ArticleIndexPage,
    ArticlePage,
    CaseStudyPage,
    ContentPage,
    HomePage,
    LandingPage,
    Lead,
)
from shop.demo.content import build_demo_content
from tests.factories import (
    CompanyFactory,
    CompanyPriceTermsFactory,
    MembershipFactory,
    PriceListFactory,
    PriceListItemFactory,
    ProductFactory,
    StockRecordFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def home():
    return HomePage.objects.get()


@pytest.fixture
def category():
    return create_from_breadcrumbs("Bearings > Ball bearings")


@pytest.fixture
def public_list():
    return PriceListFactory(code="list", kind=PriceList.Kind.LIST, currency="RUB")


def _product(category, public_list, n: int, price="100.00"):
    product = ProductFactory(title=f"Bearing 62{n:02d}", article=f"62{n:02d}-2RS")
    ProductCategory.objects.create(product=product, category=category)
    StockRecordFactory(product=product, num_in_stock=40)
    PriceListItemFactory(price_list=public_list, product=product, price=Decimal(price))
    return product


def _block(kind, value):
    return {"type": kind, "value": value}


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _case_study(home):
    return _publish(
        home,
        CaseStudyPage(
            title="Plant saves on bearings",
            slug="plant-case",
            customer="Volga Plant",
            industry="manufacturing",
            problem="Five suppliers and late invoices.",
            solution="<p>One contract price list.</p>",
            results=json.dumps(
                [_block("figure", {"number": "−18 %", "label": "cost"})]
            ),
            search_description="How a plant cut purchasing costs.",
        ),
    )


def _document():
    document = Document(title="Catalogue PDF")
    document.file.save("catalogue.pdf", ContentFile(b"%PDF-1.4 demo"), save=False)
    document.save()
    return document


def _landing(home, body, slug="builders"):
    return _publish(
        home,
        LandingPage(
            title="For builders",
            slug=slug,
            industry="construction",
            search_description="Fasteners for contractors at contract prices.",
            body=json.dumps(body),
        ),
    )


def _catalog_block(category, limit=6, articles=""):
    return _block(
        "live_catalog",
        {
            "title": "Popular items",
            "categories": [category.pk],
            "articles": articles,
            "limit": limit,
        },
    )


def _every_block(home, category):
    return [
        _block(
            "hero",
            {
                "title": "Fasteners for builders",
                "text": "Contract prices.",
                "cta_label": "Ask for a proposal",
                "cta_action": "form",
                "cta_url": "",
                "form_kind": "proposal",
            },
        ),
        _block(
            "benefits",
            {
                "items": [
                    {
                        "title": "Find by article",
                        "text": "Any spelling.",
                        "icon": "search",
                    },
                ]
            },
        ),
        _block(
            "faq",
            {
                "title": "",
                "items": [
                    {
                        "question": "How fast do you deliver?",
                        "answer": "Next working day.",
                    },
                ],
            },
        ),
        _catalog_block(category),
        _block("case_study", {"case_study": _case_study(home).pk}),
        _block(
            "testimonial",
            {
                "quote": "Half an hour instead of a day.",
                "person": "Irina Sokolova",
                "company": "Stroymontazh",
            },
        ),
        _block(
            "figures", {"items": [{"number": "12 000+", "label": "items in stock"}]}
        ),
        _block(
            "lead_form",
            {
                "title": "Price your specification",
                "text": "",
                "kind": "proposal",
            },
        ),
        _block(
            "download",
            {
                "title": "The catalogue as PDF",
                "text": "All sections.",
                "document": _document().pk,
            },
        ),
    ]


def test_landing_page_renders_every_block(client, home, category, public_list):
    _product(category, public_list, 1)
    page = _landing(home, _every_block(home, category))
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Fasteners for builders",
        "/leads/?kind=proposal",
        "Find by article",
        "How fast do you deliver?",
        "Bearing 6201",
        "Plant saves on bearings",
        "Half an hour instead of a day.",
        "12 000+",
        "Price your specification",
        "The catalogue as PDF",
        "/downloads/",  # the counted link (content.downloads)
        '<meta name="description" content="Fasteners for contractors',
    ]:
        assert text in html, text
    assert re.search(r'<input[^>]*value="proposal"[^>]*checked', html)
    assert {b.block_type for b in page.body} == set(
        LandingPage.body.field.stream_block.child_blocks
    )


def test_live_catalog_prices_each_viewer_in_constant_queries(
    client, home, category, public_list
):
    products = [_product(category, public_list, n) for n in range(1, 4)]
    company = CompanyFactory()
    terms = CompanyPriceTermsFactory(company=company)
    for product in products:
        PriceListItemFactory(
            price_list=terms.price_list, product=product, price=Decimal("91.00")
        )
    one = _landing(home, [_catalog_block(category, limit=1)], slug="one")
    three = _landing(home, [_catalog_block(category, limit=3)], slug="three")

    visitor = client.get(three.url).content.decode()
    assert visitor.count("100,00") + visitor.count("100.00") == 3
    assert "91,00" not in visitor and "91.00" not in visitor

    buyer = MembershipFactory(company=company, role="buyer").user
    client.force_login(buyer)
    client.get(one.url)  # the session and the basket exist from now on
    with CaptureQueriesContext(connection) as small:
        client.get(one.url)
    with CaptureQueriesContext(connection) as large:
        own = client.get(three.url).content.decode()
    assert own.count("91,00") + own.count("91.00") == 3
    assert "100,00" not in own and "100.00" not in own
    assert len(large) == len(small)
    assert len(large) <= 40


def test_live_catalog_shows_articles_first_and_never_hidden_products(
    client, home, category, public_list
):
    first, second = (
        _product(category, public_list, 1),
        _product(category, public_list, 2),
    )
    hidden = _product(category, public_list, 3)
    hidden.is_public = False
    hidden.save()
    page = _landing(home, [_catalog_block(category, articles="62 02-2rs")])
    html = client.get(page.url).content.decode()
    assert html.index(second.title) < html.index(first.title)
    assert hidden.title not in html


def test_article_index_lists_newest_first_and_related_share_a_tag(client, home):
    index = _publish(home, ArticleIndexPage(title="Articles", slug="articles"))
    made = {}
    for n, tags in enumerate([["bearings"], ["bearings", "choice"], ["fasteners"]]):
        article = ArticlePage(
            title=f"Article {n}",
            slug=f"article-{n}",
            date=datetime.date(2026, 1, 1 + n),
            author="Technical team",
            intro=f"Intro {n}",
            body=json.dumps(
                [
                    _block("paragraph", f"<p>Body {n}</p>"),
                    _block("quote", {"quote": f"Quote {n}", "attribution": "Engineer"}),
                ]
            ),
            search_description=f"About {n}",
        )
        article.tags.add(*tags)
        made[n] = _publish(index, article)
    listing = client.get(index.url).content.decode()
    assert (
        listing.index("Article 2")
        < listing.index("Article 1")
        < listing.index("Article 0")
    )
    response = client.get(made[0].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Body 0" in html and "Quote 0" in html and "Technical team" in html
    assert list(made[0].related_articles()) == [made[1]]
    assert '<meta name="description" content="About 0"' in html


def test_case_study_renders_in_russian(client, home):
    page = _case_study(home)
    client.cookies["django_language"] = "ru"
    html = client.get(page.url).content.decode()
    assert "Заказчик" in html and "Volga Plant" in html and "−18 %" in html
    assert "Проблема" in html and "Производство" in html


def test_landing_page_labels_in_russian(client, home, category, public_list):
    _product(category, public_list, 1)
    page = _landing(home, _every_block(home, category))
    client.cookies["django_language"] = "ru"
    html = client.get(page.url).content.decode()
    assert "Весь каталог" in html and "Скачать" in html and "Кейс" in html


def test_page_type_rules(home):
    content_page = _publish(home, ContentPage(title="About", slug="about"))
    index = _publish(home, ArticleIndexPage(title="Articles", slug="articles"))
    for model in (LandingPage, ArticleIndexPage, CaseStudyPage, ContentPage):
        assert model.can_create_at(home), model
        assert not model.can_create_at(index), model
    assert ArticlePage.can_create_at(index)
    assert not ArticlePage.can_create_at(home)
    assert not LandingPage.can_create_at(content_page)
    assert not LandingPage.can_create_at(Page.get_first_root_node())


def test_the_blocks_offer_the_lead_kinds():
    assert [value for value, _ in LEAD_KINDS] == list(Lead.Kind.values)


def test_demo_publishes_the_pages_once(client, home):
    for path in ("Крепёж > Болты и винты", "Подшипники > Шариковые радиальные"):
        create_from_breadcrumbs(path)
    build_demo_content()
    pages = {p.slug: p for p in Page.objects.live().descendant_of(home)}
    assert set(pages) == {
        "construction",
        "manufacturing",
        "case-zavod",
        "articles",
        "how-to-read-bearing-numbers",
        "fasteners-strength-classes",
        "pneumatic-cylinder-sizing",
    }
    revisions = Revision.objects.count()
    documents = list(Document.objects.values_list("pk", "file"))
    landing = pages["construction"].specific
    assert {b.block_type for b in landing.body} == set(
        LandingPage.body.field.stream_block.child_blocks
    )
    assert [c.name for c in landing.body[3].value["categories"]] == ["Крепёж"]
    for page in pages.values():
        assert client.get(page.url).status_code == 200, page.url
    # The catalogue in PDF, in English and in Russian.
    assert Document.objects.count() == 2
    for document in Document.objects.all():
        assert document.file.read().startswith(b"%PDF")

    build_demo_content()
    assert Page.objects.descendant_of(home).count() == len(pages)
    assert Revision.objects.count() == revisions
    assert list(Document.objects.values_list("pk", "file")) == documents


@pytest.mark.parametrize(
    "model", ["landingpage", "articleindexpage", "casestudypage", "contentpage"]
)
def test_editors_get_the_add_form_under_home(client, staff_user, home, model):
    create_from_breadcrumbs("Bearings > Ball bearings")
    client.force_login(staff_user)
    response = client.get(f"/cms/pages/add/content/{model}/{home.pk}/")
    assert response.status_code == 200
    choosable = client.get(f"/cms/pages/{home.pk}/add_subpage/").content.decode()
    assert f"/cms/pages/add/content/{model}/{home.pk}/" in choosable
