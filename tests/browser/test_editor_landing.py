"""An editor who is not a superuser builds a segment landing page of every block in
Wagtail's admin and submits it; a moderator approves it, which publishes it. A visitor
then sees every block with the list price in the live catalogue, and a contract
buyer sees their contract price there — on a desktop and on a phone."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from catalog.models import Category
from catalog.pricing.models import Contract, ContractItem
from content.blocks import LandingStreamBlock
from content.models import CaseStudyPage, HomePage, LandingPage
from tests.cabinet.factories import priced_product
from tests.factories import MembershipFactory, UserFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "s3cret-pass!"
TITLE = "Bearings for food plants"
BEARING = "Deep groove ball bearing 6205-2RS"
ROLLER = "Cylindrical roller bearing NU 205"
BOLT = "Hex bolt DIN 933 M8x40"
LIST_PRICE, CONTRACT_PRICE = "812.40", "745.00"
CASE_STUDY = "A dairy plant cut bearing stock by a third"
DOCUMENT = "Bearing catalogue 2026"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def catalogue():
    bearings = Category.add_root(name="Bearings", slug="bearings")
    fasteners = Category.add_root(name="Fasteners", slug="fasteners")
    bearing = priced_product(title=BEARING, article="6205-2RS", price=LIST_PRICE)
    roller = priced_product(title=ROLLER, article="NU205-E", price="1240.00")
    bolt = priced_product(title=BOLT, article="DIN933-M8X40", price="6.30")
    bearing.categories.add(bearings)
    roller.categories.add(bearings)
    bolt.categories.add(fasteners)
    return {"bearing": bearing, "roller": roller, "bolt": bolt}


@pytest.fixture
def contract_buyer(catalogue, company):
    contract = Contract.objects.create(company=company, number="D-2026/17")
    ContractItem.objects.create(
        contract=contract,
        product=catalogue["bearing"],
        price=Decimal(CONTRACT_PRICE),
    )
    return MembershipFactory(company=company, role="buyer").user


@pytest.fixture
def setup_content():
    """What the editor picks: a case study already published and a document."""
    home = HomePage.objects.get()
    study = CaseStudyPage(
        title=CASE_STUDY,
        slug="dairy-plant",
        customer="Northern Dairy",
        industry="manufacturing",
        problem="Bearings of four makes, bought from five suppliers.",
        results=json.dumps(
            [{"type": "figure", "value": {"number": "−33 %", "label": "stock"}}]
        ),
    )
    home.add_child(instance=study)
    study.save_revision().publish()
    document = Document(title=DOCUMENT)
    document.file.save(
        "bearing-catalogue.pdf", ContentFile(b"%PDF-1.4 catalogue"), save=False
    )
    document.save()
    return home


def _staff_member(email, group):
    """An ordinary CMS account: no superuser, no staff flag, one of Wagtail's
    groups (its migrations create them with their page permissions)."""
    user = UserFactory(email=email, is_staff=False, is_superuser=False)
    user.groups.add(Group.objects.get(name=group))
    return user


def _cms_log_in(page, base_url, user):
    page.goto(base_url + "/cms/login/")
    page.fill("input[name='username']", user.email)
    page.fill("input[name='password']", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(base_url + "/cms/")


def _add_block(page, label):
    """The stream's last "+" opens the block picker; pick the block by its label.
    Returns the new block's form prefix (`body-N-value`)."""
    count = int(page.locator("input[name='body-count']").input_value())
    page.locator(
        "[data-contentpath='body'] button.c-sf-add-button"
        ":not([data-streamfield-list-add])"
    ).last.click()
    page.get_by_role("option", name=label, exact=True).click()
    prefix = f"body-{count}-value"
    page.locator(f"[name^='{prefix}-']").first.wait_for(state="attached")
    return prefix


def _fill(page, name, value):
    page.locator(f"[name='{name}']").fill(value)


def _build_landing_page(page, base_url, home):
    page.goto(f"{base_url}/cms/pages/{home.pk}/")
    page.get_by_role("link", name="Add child page").first.click()
    page.get_by_role("link", name="Segment landing page", exact=True).click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_title", TITLE)
    page.select_option("#id_industry", label="Manufacturing")
    page.fill("#id_region", "Volga region")

    p = _add_block(page, "Hero")
    _fill(page, f"{p}-title", "Bearings for food plants at your contract price")
    _fill(page, f"{p}-text", "Stainless and food-grade bearings from stock.")
    _fill(page, f"{p}-cta_label", "Get a commercial proposal")

    p = _add_block(page, "Benefits")
    _fill(page, f"{p}-items-0-value-title", "Food-grade grease")
    _fill(page, f"{p}-items-0-value-text", "NSF H1 lubricants in every seal.")
    page.select_option(f"[name='{p}-items-0-value-icon']", label="Certificate")

    p = _add_block(page, "Questions and answers")
    _fill(page, f"{p}-items-0-value-question", "How fast do you deliver?")
    _fill(page, f"{p}-items-0-value-answer", "Items in stock ship next day.")

    p = _add_block(page, "Live catalogue")
    _fill(page, f"{p}-title", "Bearings in stock")
    page.locator("[data-contentpath='categories']").last.locator(
        "button[data-streamfield-list-add]"
    ).first.click()
    page.select_option(f"[name='{p}-categories-0-value']", label="Bearings")
    _fill(page, f"{p}-articles", "DIN933-M8X40")

    p = _add_block(page, "Case study")
    page.get_by_role("button", name="Choose a page").last.click()
    _choose_in_modal(page, CASE_STUDY)

    p = _add_block(page, "Testimonial")
    _fill(page, f"{p}-quote", "The right bearing arrives the next morning.")
    _fill(page, f"{p}-person", "Olga Orlova")
    _fill(page, f"{p}-company", "Northern Dairy")

    p = _add_block(page, "Figures")
    _fill(page, f"{p}-items-0-value-number", "4 800")
    _fill(page, f"{p}-items-0-value-label", "bearings in stock")

    p = _add_block(page, "Request form")
    _fill(page, f"{p}-title", "Price your bearing list")
    page.select_option(f"[name='{p}-kind']", label="Commercial proposal")

    p = _add_block(page, "Download")
    _fill(page, f"{p}-title", "The bearing catalogue")
    page.get_by_role("button", name="Choose a document").last.click()
    _choose_in_modal(page, DOCUMENT)
    page.locator(f"[name='{p}-gated']").check()


def _choose_in_modal(page, title):
    modal = page.locator(".modal.show, [role='dialog']:visible").last
    modal.get_by_role("link", name=title).first.click()
    modal.wait_for(state="hidden")


def _submit_for_moderation(page):
    """An editor may add and edit but not publish (Wagtail's "Editors" group):
    the footer's menu offers "Submit for moderation" to the Moderators. The
    admin's autosave may be creating the draft at that moment: wait until it has
    finished, or the create form is sent a second time (slug already in use)."""
    page.get_by_text("Saving…").or_(page.get_by_text("Saving...")).first.wait_for(
        state="hidden", timeout=30_000
    )
    page.locator("footer").get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Moderators approval").click()
    page.wait_for_load_state()


def _approve_on_the_dashboard(page, base_url):
    """A moderator finds the page under "Awaiting your review" and approves it,
    which (the workflow's only task) publishes it."""
    page.goto(base_url + "/cms/")
    row = page.locator("tr", has_text=TITLE)
    row.get_by_role("button", name="Actions").click()
    row.get_by_role("button", name="Approve", exact=True).click()
    page.wait_for_load_state()


def test_an_editor_publishes_a_landing_page_of_every_block(
    live_server, chromium, artifacts, setup_content, contract_buyer, catalogue
):
    home = setup_content
    editor = _staff_member("editor@example.com", "Editors")
    moderator = _staff_member("moderator@example.com", "Moderators")

    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _cms_log_in(page, live_server.url, editor)
    _build_landing_page(page, live_server.url, home)
    page.screenshot(path=artifacts / "editor_landing_admin.png")
    _submit_for_moderation(page)
    # "created and submitted", or "has been submitted" when the admin's autosave
    # created the draft while the editor typed.
    message = page.locator(".messages").inner_text()
    assert f"Page '{TITLE}'" in message and "submitted for moderation" in message
    context.close()
    landing = LandingPage.objects.get(title=TITLE)
    assert not landing.live

    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    _cms_log_in(page, live_server.url, moderator)
    _approve_on_the_dashboard(page, live_server.url)
    page.goto(f"{live_server.url}/cms/pages/{home.pk}/")
    assert "live" in page.locator("tr", has_text=TITLE).inner_text().lower()
    context.close()

    landing.refresh_from_db()
    assert landing.live and landing.live_revision.user == editor
    assert (landing.industry, landing.region) == ("manufacturing", "Volga region")
    assert [b.block_type for b in landing.body] == list(
        LandingStreamBlock().child_blocks
    )

    for width in (1366, 390):
        context = chromium.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.goto(live_server.url + landing.url)
        _every_block_shown(page)
        assert _card_prices(page) == [
            (BOLT, "RUB6.30"),
            (ROLLER, "RUB1,240.00"),
            (BEARING, f"RUB{LIST_PRICE}"),
        ]
        assert _no_horizontal_scroll(page)
        page.screenshot(
            path=artifacts / f"editor_landing_visitor_{width}.png", full_page=True
        )

        _shop_log_in(page, live_server.url, contract_buyer)
        page.goto(live_server.url + landing.url)
        # The contract price of the one product under contract; list prices else.
        assert _card_prices(page) == [
            (BOLT, "RUB6.30"),
            (ROLLER, "RUB1,240.00"),
            (BEARING, f"RUB{CONTRACT_PRICE}"),
        ]
        assert _no_horizontal_scroll(page)
        page.screenshot(
            path=artifacts / f"editor_landing_buyer_{width}.png", full_page=True
        )
        context.close()


def _every_block_shown(page):
    main = page.locator("#main")
    hero = main.locator(".hero")
    assert hero.locator("h1").inner_text() == (
        "Bearings for food plants at your contract price"
    )
    cta = hero.get_by_role("link", name="Get a commercial proposal")
    assert cta.get_attribute("href").endswith("?kind=proposal")
    assert main.locator(".benefit h2").all_inner_texts() == ["Food-grade grease"]
    assert main.locator(".benefit__icon--certificate").count() == 1
    assert main.locator(".faq summary").all_inner_texts() == [
        "How fast do you deliver?"
    ]
    assert main.locator(".live-catalog h2").inner_text() == "Bearings in stock"
    teaser = main.locator(".case-teaser")
    assert teaser.get_by_role("link", name=CASE_STUDY).is_visible()
    assert "−33 %" in teaser.inner_text()
    testimonial = main.locator(".testimonial").inner_text()
    assert "The right bearing arrives" in testimonial and "Olga Orlova" in testimonial
    assert main.locator("section.figures .figure__number").all_inner_texts() == [
        "4 800"
    ]
    form = main.locator("section.contact-block", has_text="Price your bearing list")
    assert form.locator("input[name='kind'][value='proposal']").is_checked()
    download = main.locator(".download")
    assert "The bearing catalogue" in download.inner_text()
    assert download.get_by_role("link", name="Get the file").is_visible()


def _card_prices(page) -> list[tuple[str, str]]:
    """Each live-catalogue row's title and the net price it shows, in page order."""
    cards = page.locator(".live-catalog [data-testid='listing-item']")
    prices = []
    for i in range(cards.count()):
        card = cards.nth(i)
        title = card.locator(".product-title").inner_text()
        price = card.locator("[data-testid='price']").inner_text()
        prices.append((title, price.removesuffix("excl. VAT").strip()))
    return prices


def _shop_log_in(page, base_url, user):
    page.goto(base_url + "/accounts/login/")
    page.fill("input[name='login-username']", user.email)
    page.fill("input[name='login-password']", PASSWORD)
    page.locator("button[name='login_submit']").click()
    page.wait_for_url(base_url + "/cabinet/")


def _no_horizontal_scroll(page):
    return page.evaluate(
        "document.documentElement.scrollWidth <= window.innerWidth + 1"
    )
