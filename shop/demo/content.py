"""Demo pages in English and Russian: landing pages for two segments, three articles,
a case study and the catalogue brochure (a Wagtail document per language). Each
page is built in English (the default locale's tree) and translated into Russian
with Wagtail's `copy_for_translation`, so the two are translations of each other.
Each page is created once; a second run finds it (by its slug, or as the English
page's translation) and changes nothing."""

import datetime
import json
import uuid

from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext_lazy
from wagtail.documents.models import Document
from wagtail.models import Locale

from catalog.models import Category
from content.models import (
    ArticleIndexPage,
    ArticlePage,
    CaseStudyPage,
    HomePage,
    LandingPage,
)
from invoicing.pdf.render import pdf_render

LANGUAGES = ("en", "ru")
BROCHURE = {
    "en": (
        "Industrial components catalogue",
        "Bearings, fasteners, electrical, pneumatics, tools",
        "catalog-brochure-en.pdf",
    ),
    "ru": (
        "Каталог промышленных комплектующих",
        "Подшипники, крепёж, электротехника, пневматика, инструмент",
        "catalog-brochure.pdf",
    ),
}
# Top-level demo categories (shop/demo/families.py) each segment's catalogue shows.
SEGMENT_CATEGORIES = {
    "construction": ["Крепёж", "Инструмент"],
    "manufacturing": ["Подшипники", "Пневматика", "Электротехника"],
}
LANDINGS = {
    "construction": {
        "en": "For construction companies",
        "ru": "Для строительных компаний",
    },
    "manufacturing": {"en": "For manufacturers", "ru": "Для производств"},
}
# slug, date, and per language: title, tags, intro.
ARTICLES = [
    (
        "how-to-read-bearing-numbers",
        datetime.date(2026, 9, 14),
        {
            "en": (
                "How to read a bearing number",
                ["bearings", "selection"],
                "What the digits and letters in 6205-2RS mean and how to find "
                "an equivalent.",
            ),
            "ru": (
                "Как читать маркировку подшипника",
                ["подшипники", "подбор"],
                "Что означают цифры и буквы в номере 6205-2RS и как найти аналог.",
            ),
        },
    ),
    (
        "fasteners-strength-classes",
        datetime.date(2026, 10, 2),
        {
            "en": (
                "Fastener strength classes: 8.8, 10.9, 12.9",
                ["fasteners", "selection"],
                "Which bolt takes the load, and why the marking on its head matters.",
            ),
            "ru": (
                "Классы прочности крепежа: 8.8, 10.9, 12.9",
                ["крепёж", "подбор"],
                "Какой болт выдержит нагрузку и почему маркировка на головке важна.",
            ),
        },
    ),
    (
        "pneumatic-cylinder-sizing",
        datetime.date(2026, 11, 5),
        {
            "en": (
                "Sizing a pneumatic cylinder by force",
                ["pneumatics", "selection"],
                "Piston diameter, line pressure and a force margin, worked "
                "through one example.",
            ),
            "ru": (
                "Как подобрать пневмоцилиндр по усилию",
                ["пневматика", "подбор"],
                "Диаметр поршня, давление в сети и запас по усилию — на одном примере.",
            ),
        },
    ),
]
ARTICLE_TEXT = {
    "en": {
        "summary": "In short",
        "find": "Look the number up in the catalogue: search understands any spelling.",
        "quote": "A correctly chosen part lasts longer.",
        "attribution": "technical department",
        "author": "Technical department",
        "index_title": "Articles",
        "index_intro": "How to choose, replace and order components.",
        "index_description": "Articles on choosing bearings, fasteners and pneumatics.",
    },
    "ru": {
        "summary": "Коротко",
        "find": "Найдите номер в каталоге: поиск понимает любое написание.",
        "quote": "Правильно подобранная деталь служит дольше.",
        "attribution": "технический отдел",
        "author": "Технический отдел",
        "index_title": "Статьи",
        "index_intro": "Как подобрать, заменить и заказать комплектующие.",
        "index_description": "Статьи о подборе подшипников, крепежа и пневматики.",
    },
}
CASE_STUDY = {
    "en": {
        "title": "A plant moved its purchasing to contract prices",
        "search_description": "How an engineering plant cut its spending on "
        "components and its delivery times.",
        "customer": "Engineering plant",
        "problem": "Purchasing ran through five suppliers, invoices arrived late "
        "and a single engineer looked for equivalents.",
        "solution": "<p>A contract price list for 340 items, orders by the "
        "article numbers of the specification and deferred payment within the "
        "credit limit.</p>",
        "results": [
            ("−18 %", "purchasing costs"),
            ("1 day", "from request to shipment"),
            ("340", "items under contract"),
        ],
    },
    "ru": {
        "title": "Завод перешёл на закупку по договорным ценам",
        "search_description": "Как машиностроительный завод сократил затраты "
        "на комплектующие и сроки поставки.",
        "customer": "Машиностроительный завод",
        "problem": "Закупки шли через пять поставщиков, счета приходили с "
        "опозданием, а аналоги подбирал один инженер.",
        "solution": "<p>Договорный прайс на 340 позиций, заказ по артикулам из "
        "спецификации и отсрочка платежа в пределах кредитного лимита.</p>",
        "results": [
            ("−18 %", "затрат на закупку"),
            ("1 день", "от заявки до отгрузки"),
            ("340", "позиций в договоре"),
        ],
    },
}
LANDING_TEXT = {
    "en": {
        "audience": {"construction": "construction", "manufacturing": "manufacturing"},
        "hero_title": "Components for {audience} at your contract price",
        "hero_text": "Bearings, fasteners, pneumatics and electrical parts: your "
        "company's price and stock, orders by article number, documents online.",
        "cta": "Get a commercial proposal",
        "benefits": [
            ("Search by article number", "Any spelling, analogues in stock.", "search"),
            (
                "Contract prices",
                "Your price and volume discounts on every page.",
                "price",
            ),
            ("Deferred payment", "Order within your credit limit.", "credit"),
            (
                "Documents 24/7",
                "Invoices, delivery notes and certificates in your cabinet.",
                "documents",
            ),
        ],
        "figures": [
            ("12,000+", "items in our warehouses"),
            ("1 day", "to shipment from stock"),
            ("15 years", "in the market"),
        ],
        "faq": [
            (
                "How fast do you deliver?",
                "Items in stock ship on the next working day; each warehouse's "
                "lead time is shown in advance.",
            ),
            (
                "Do you supply certificates?",
                "Certificates and data sheets come with every delivery and stay "
                "in your cabinet.",
            ),
            (
                "Who do you already work with?",
                "Plants, contractors and dealers order from us every week.",
            ),
        ],
        "catalog_title": "Popular items",
        "testimonial": (
            "We order by the article numbers of the specification: half an hour "
            "instead of a day.",
            "Irina Sokolova",
            "purchasing department",
        ),
        "download": ("Catalogue in PDF", "All catalogue sections in one file."),
        "form": (
            "We will price your specification",
            "Leave a phone number or an e-mail: a manager replies within working "
            "hours.",
        ),
        "description": "{title}: contract prices, stock and documents.",
    },
    "ru": {
        "audience": {"construction": "строителей", "manufacturing": "производств"},
        "hero_title": "Комплектующие для {audience} по договорной цене",
        "hero_text": "Подшипники, крепёж, пневматика и электротехника: цена и "
        "наличие вашей компании, заказ по артикулу, документы онлайн.",
        "cta": "Получить коммерческое предложение",
        "benefits": [
            ("Поиск по артикулу", "Любое написание, аналоги в наличии.", "search"),
            (
                "Договорные цены",
                "Ваша цена и скидки от объёма на каждой странице.",
                "price",
            ),
            ("Отсрочка платежа", "Заказ в пределах кредитного лимита.", "credit"),
            (
                "Документы 24/7",
                "Счета, накладные и сертификаты в кабинете.",
                "documents",
            ),
        ],
        "figures": [
            ("12 000+", "позиций на складах"),
            ("1 день", "до отгрузки со склада"),
            ("15 лет", "на рынке"),
        ],
        "faq": [
            (
                "Какие сроки поставки?",
                "Товар со склада отгружаем на следующий рабочий день; срок по "
                "каждому складу виден заранее.",
            ),
            (
                "Есть ли сертификаты?",
                "Сертификаты и паспорта приходят с каждой поставкой и хранятся "
                "в кабинете.",
            ),
            (
                "С кем вы уже работаете?",
                "Заводы, подрядчики и дилеры заказывают у нас каждую неделю.",
            ),
        ],
        "catalog_title": "Популярные позиции",
        "testimonial": (
            "Заказываем по артикулам из спецификации — полчаса вместо дня.",
            "Ирина Соколова",
            "отдел снабжения",
        ),
        "download": ("Каталог в PDF", "Разделы каталога одним файлом."),
        "form": (
            "Рассчитаем цену на вашу спецификацию",
            "Оставьте телефон или e-mail — менеджер ответит в рабочее время.",
        ),
        "description": "{title}: договорные цены, наличие и документы.",
    },
}


def _id(*parts: str) -> str:
    """A stable block id, so two demo databases hold the same page JSON (the same
    in both languages, as a translated copy keeps its blocks' ids)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "demo-content:" + ":".join(parts)))


def _block(kind: str, value, *parts: str) -> dict:
    return {"type": kind, "value": value, "id": _id(kind, *parts)}


def _items(values: list, *parts: str) -> list[dict]:
    return [
        {"type": "item", "value": v, "id": _id(*parts, str(n))}
        for n, v in enumerate(values)
    ]


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _translate(page, locale, **fields):
    """The page's translation into `locale`, created once as Wagtail's "Translate"
    action does (a copy under the parent's translation) with `fields` in that
    language, and published."""
    found = page.get_translation_or_none(locale)
    if found is not None:
        return found.specific
    copy = page.copy_for_translation(locale)
    tags = fields.pop("tags", None)
    for name, value in fields.items():
        setattr(copy, name, value)
    if tags is not None:
        copy.tags.clear()
        copy.tags.add(*tags)
    copy.save_revision().publish()
    return copy


def _brochure(language: str) -> Document:
    title, subtitle, file_name = BROCHURE[language]
    found = Document.objects.filter(title=title).first()
    if found is not None:
        return found
    sections = [
        (c.name, c.product_set.count())
        for c in Category.get_root_nodes().order_by("path")
    ]
    data = pdf_render(
        template="shop/demo/catalog_brochure.html",
        context={"title": title, "subtitle": subtitle, "sections": sections},
        language=language,
    )
    document = Document(title=title)
    document.file.save(file_name, ContentFile(data), save=False)
    document.save()
    return document


def _case_study_fields(language: str) -> dict:
    text = CASE_STUDY[language]
    results = [
        _block("figure", {"number": number, "label": label}, f"r{n}")
        for n, (number, label) in enumerate(text["results"], start=1)
    ]
    return {
        "title": text["title"],
        "search_description": text["search_description"],
        "customer": text["customer"],
        "problem": text["problem"],
        "solution": text["solution"],
        "results": json.dumps(results),
    }


def _case_study(home, locales) -> dict:
    """The case study in each language: {language: page}."""
    page = CaseStudyPage.objects.child_of(home).filter(slug="case-zavod").first()
    if page is None:
        page = _publish(
            home,
            CaseStudyPage(
                slug="case-zavod", industry="manufacturing", **_case_study_fields("en")
            ),
        )
    return {
        "en": page,
        "ru": _translate(page, locales["ru"], **_case_study_fields("ru")),
    }


def _landing_body(segment: str, language: str, case_study, brochure) -> list[dict]:
    text = LANDING_TEXT[language]
    categories = list(
        Category.get_root_nodes()
        .filter(name__in=SEGMENT_CATEGORIES[segment])
        .order_by("path")
        .values_list("pk", flat=True)
    )
    benefits = [
        {"title": title, "text": body, "icon": icon}
        for title, body, icon in text["benefits"]
    ]
    figures = [{"number": n, "label": label} for n, label in text["figures"]]
    faq = [{"question": q, "answer": a} for q, a in text["faq"]]
    quote, person, company = text["testimonial"]
    download_title, download_text = text["download"]
    form_title, form_text = text["form"]
    audience = text["audience"][segment]
    return [
        _block(
            "hero",
            {
                "title": text["hero_title"].format(audience=audience),
                "text": text["hero_text"],
                "cta_label": text["cta"],
                "cta_action": "form",
                "cta_url": "",
                "form_kind": "proposal",
            },
            segment,
        ),
        _block("benefits", {"items": _items(benefits, segment, "b")}, segment),
        _block("figures", {"items": _items(figures, segment, "f")}, segment),
        _block(
            "live_catalog",
            {
                "title": text["catalog_title"],
                "categories": categories,
                "articles": "",
                "limit": 6,
            },
            segment,
        ),
        _block("case_study", {"case_study": case_study.pk}, segment),
        _block(
            "testimonial",
            {"quote": quote, "person": person, "company": company},
            segment,
        ),
        _block("faq", {"title": "", "items": _items(faq, segment, "q")}, segment),
        _block(
            "download",
            {"title": download_title, "text": download_text, "document": brochure.pk},
            segment,
        ),
        _block(
            "lead_form",
            {"title": form_title, "text": form_text, "kind": "proposal"},
            segment,
        ),
    ]


def _landing_fields(segment, language, case_studies, brochures) -> dict:
    title = LANDINGS[segment][language]
    return {
        "title": title,
        "search_description": LANDING_TEXT[language]["description"].format(title=title),
        "body": json.dumps(
            _landing_body(
                segment, language, case_studies[language], brochures[language]
            )
        ),
    }


def _landing(home, segment: str, locales, case_studies, brochures) -> None:
    page = LandingPage.objects.child_of(home).filter(slug=segment).first()
    if page is None:
        page = _publish(
            home,
            LandingPage(
                slug=segment,
                industry=segment,
                **_landing_fields(segment, "en", case_studies, brochures),
            ),
        )
    _translate(
        page, locales["ru"], **_landing_fields(segment, "ru", case_studies, brochures)
    )


def _article_body(slug: str, language: str, intro: str) -> str:
    text = ARTICLE_TEXT[language]
    body = [
        _block(
            "paragraph",
            f"<p>{intro}</p><h2>{text['summary']}</h2><p>{text['find']}</p>",
            slug,
        ),
        _block(
            "quote",
            {"quote": text["quote"], "attribution": text["attribution"]},
            slug,
        ),
    ]
    return json.dumps(body)


def _article_fields(slug: str, language: str, texts: dict) -> dict:
    title, tags, intro = texts[language]
    return {
        "title": title,
        "author": ARTICLE_TEXT[language]["author"],
        "intro": intro,
        "search_description": intro,
        "body": _article_body(slug, language, intro),
        "tags": tags,
    }


def _articles(home, locales) -> None:
    index = ArticleIndexPage.objects.child_of(home).filter(slug="articles").first()
    if index is None:
        text = ARTICLE_TEXT["en"]
        index = _publish(
            home,
            ArticleIndexPage(
                title=text["index_title"],
                slug="articles",
                intro=text["index_intro"],
                search_description=text["index_description"],
            ),
        )
    text = ARTICLE_TEXT["ru"]
    _translate(
        index,
        locales["ru"],
        title=text["index_title"],
        intro=text["index_intro"],
        search_description=text["index_description"],
    )
    for slug, date, texts in ARTICLES:
        article = ArticlePage.objects.child_of(index).filter(slug=slug).first()
        if article is None:
            fields = _article_fields(slug, "en", texts)
            tags = fields.pop("tags")
            article = ArticlePage(slug=slug, date=date, **fields)
            article.tags.add(*tags)
            _publish(index, article)
        _translate(article, locales["ru"], **_article_fields(slug, "ru", texts))


def _home_translation(home, locales) -> None:
    """The Russian home page: each language has its own tree under its home. The
    headline and texts stay blank (the template's translated standard texts); its
    benefit cards come from `_home_benefits`."""
    _translate(home, locales["ru"], title="Промышленные комплектующие для бизнеса")


# The home page's four benefit cards (icon, title, text): the same messages as the
# template's fallback (`content/home_page.html`), translated into each page's language.
HOME_BENEFITS = [
    (
        "search",
        gettext_lazy("Find by article number"),
        gettext_lazy(
            "Any spelling, any manufacturer's number, with in-stock analogues."
        ),
    ),
    (
        "price",
        gettext_lazy("Your contract prices"),
        gettext_lazy("See your own wholesale price and volume breaks on every page."),
    ),
    (
        "credit",
        gettext_lazy("Pay later"),
        gettext_lazy("Order on account within your credit limit, or pay an invoice."),
    ),
    (
        "documents",
        gettext_lazy("Documents 24/7"),
        gettext_lazy("Invoices, delivery notes and statements in your cabinet."),
    ),
]


def _home_benefits() -> int:
    """Fill the benefit cards of every home page (one per locale) that has none, in
    that page's language (Russian without a locale), and publish the change so the
    admin shows the cards. Returns how many pages it changed."""
    changed = 0
    for home in HomePage.objects.select_related("locale").order_by("path"):
        if home.benefits:
            continue
        language = getattr(home.locale, "language_code", "") or "ru"
        with translation.override(language):
            home.benefits = [
                ("benefit", {"icon": icon, "title": str(title), "text": str(text)})
                for icon, title, text in HOME_BENEFITS
            ]
        home.save_revision().publish()
        changed += 1
    return changed


def build_demo_content(*, stdout=None) -> None:
    home = HomePage.objects.filter(locale__language_code="en").order_by("path").first()
    if home is None:
        return
    locales = {
        code: Locale.objects.get_or_create(language_code=code)[0] for code in LANGUAGES
    }
    # The translations first; the benefit cards of every home page last.
    _home_translation(home, locales)
    brochures = {language: _brochure(language) for language in LANGUAGES}
    case_studies = _case_study(home, locales)
    for segment in LANDINGS:
        _landing(home, segment, locales, case_studies, brochures)
    _articles(home, locales)
    _home_benefits()
    if stdout is not None:
        stdout.write(
            "Demo pages in English and Russian: 2 landing pages, 3 articles, "
            "1 case study, the catalogue in PDF."
        )
