"""Accessibility fixes a user relies on, pinned without npm (the full audit with
Lighthouse, axe-core and the Nu checker is `make audit`): labelled form fields, one
`<main>`, the top bar inside a landmark, unique ids, deferred scripts, the trimmed
stylesheet, and WCAG contrast of the colours set in shop.css's "a11y" section."""

import io
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from catalog.models import Product

ROOT = Path(settings.BASE_DIR)
SHOP_CSS = ROOT / "shop/static/shop/shop.css"
SITE_CSS = ROOT / "shop/static/shop/site.css"
BUYER = "buyer@stroymontazh.demo"


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    hi, lo = sorted([_luminance(a), _luminance(b)], reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _variables() -> dict[str, str]:
    css = SHOP_CSS.read_text()
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css))


def test_contrast_formula_matches_wcag_reference_values():
    assert round(contrast("#ffffff", "#000000"), 1) == 21.0
    assert round(contrast("#ffffff", "#007bff"), 2) == 3.98  # Bootstrap's primary fails


@pytest.mark.parametrize(
    ("fg", "bg"),
    [
        ("a11y-muted", "bg"),
        ("a11y-muted", "#ffffff"),
        ("#ffffff", "a11y-primary"),
        ("a11y-primary", "bg"),
        ("#ffffff", "a11y-primary-dark"),
        ("#ffffff", "a11y-success"),
        ("#ffffff", "a11y-info"),
        ("a11y-success", "bg"),
        ("muted", "bg"),
        ("#ffffff", "brand"),
        ("ink", "bg"),
        ("warn", "#ffffff"),
        ("warn", "bg"),
    ],
)
def test_colour_variables_reach_wcag_aa(fg, bg):
    variables = _variables()
    fg_hex = fg if fg.startswith("#") else variables[fg]
    bg_hex = bg if bg.startswith("#") else variables[bg]
    assert contrast(fg_hex, bg_hex) >= 4.5, (fg, bg)


def _css_classes(css: str) -> set[str]:
    return set(re.findall(r"\.(-?[_a-zA-Z][\w-]*)", re.sub(r"url\([^)]*\)", "", css)))


def test_every_template_class_from_oscars_stylesheet_is_in_the_trimmed_one():
    import oscar

    full = _css_classes(
        (Path(oscar.__file__).parent / "static/oscar/css/styles.css").read_text()
    )
    ours = _css_classes(SITE_CSS.read_text())
    used: set[str] = set()
    for path in ROOT.glob("**/templates/**/*.html"):
        if (
            ".venv" in path.parts
            or "node_modules" in path.parts
            or "dashboard" in path.parts
        ):
            continue
        for value in re.findall(r'class="([^"{]*)', path.read_text(errors="ignore")):
            used.update(value.split())
    missing = sorted((used & full) - ours)
    assert not missing, f"run `make css`: {missing}"


@pytest.fixture
def demo(db):
    call_command("load_demo", "--products", "40", "--seed", "7", stdout=io.StringIO())


def _check_page(html: bytes, url: str):  # noqa: C901
    soup = BeautifulSoup(html, "html.parser")
    problems = []
    if not soup.html.get("lang"):
        problems.append("no lang")
    if len(soup.find_all("main")) != 1:
        problems.append("not exactly one <main>")
    topbar = soup.select_one(".topbar")
    if (
        topbar is not None
        and not topbar.find_parent(["header", "nav"])
        and topbar.name != "nav"
    ):
        problems.append("top bar outside header/nav")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        problems.append(f"duplicate ids {dupes}")
    for script in soup.find_all("script", src=True):
        if not script.has_attr("defer") and not script.has_attr("async"):
            problems.append(f"render-blocking {script['src']}")
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    if not any(h.endswith("shop/site.css") for h in sheets) or any(
        "oscar/css/styles" in h for h in sheets
    ):
        problems.append(f"stylesheets {sheets}")
    labelled = {label.get("for") for label in soup.find_all("label")}
    for field in soup.find_all(["input", "select", "textarea"]):
        if field.name == "input" and field.get("type") in (
            "hidden",
            "submit",
            "button",
            "image",
            "reset",
        ):
            continue
        if (
            field.get("aria-label")
            or field.get("aria-labelledby")
            or field.get("title")
        ):
            continue
        if field.get("id") in labelled or field.find_parent("label"):
            continue
        if field.find_parent(class_="d-none"):  # not rendered, not announced
            continue
        problems.append(f"unlabelled {field.name} name={field.get('name')}")
    assert not problems, (url, problems)


def test_storefront_pages_are_accessible(client, demo):
    product = Product.objects.filter(is_public=True, structure="standalone").first()
    category = product.get_categories().first()
    anonymous = [
        "/",
        reverse("catalogue:index"),
        category.get_absolute_url(),
        product.get_absolute_url(),
        reverse("search:search") + "?q=" + product.title.split()[0],
        reverse("customer:login"),
        reverse("accounts:register"),
    ]
    for url in anonymous:
        response = client.get(url)
        assert response.status_code == 200, url
        _check_page(response.content, url)
    client.force_login(User.objects.get(email=BUYER))
    client.post(reverse("basket:add", args=[product.pk]), {"quantity": 1})
    for url in [
        reverse("cabinet:home"),
        reverse("cabinet:order-list"),
        reverse("cabinet:quick-order"),
        reverse("basket:summary"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        _check_page(response.content, url)
