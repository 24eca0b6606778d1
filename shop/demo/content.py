"""Demo pages: landing pages for two segments, three articles, a case study and the
catalogue brochure (a Wagtail document). Each page is created once; a second run
finds it by its slug and changes nothing."""

import datetime
import json
import uuid

from django.core.files.base import ContentFile
from wagtail.documents.models import Document

from catalog.models import Category
from content.models import (
    ArticleIndexPage,
    ArticlePage,
    CaseStudyPage,
    HomePage,
    LandingPage,
)
from invoicing.pdf.render import pdf_render

BROCHURE_TITLE = "Каталог промышленных комплектующих"
# Top-level demo categories (shop/demo/families.py) each segment's catalogue shows.
SEGMENT_CATEGORIES = {
    "construction": ["Крепёж", "Инструмент"],
    "manufacturing": ["Подшипники", "Пневматика", "Электротехника"],
}
ARTICLES = [
    (
        "how-to-read-bearing-numbers",
        "Как читать маркировку подшипника",
        datetime.date(2026, 9, 14),
        ["подшипники", "подбор"],
        "Что означают цифры и буквы в номере 6205-2RS и как найти аналог.",
    ),
    (
        "fasteners-strength-classes",
        "Классы прочности крепежа: 8.8, 10.9, 12.9",
        datetime.date(2026, 10, 2),
        ["крепёж", "подбор"],
        "Какой болт выдержит нагрузку и почему маркировка на головке важна.",
    ),
    (
        "pneumatic-cylinder-sizing",
        "Как подобрать пневмоцилиндр по усилию",
        datetime.date(2026, 11, 5),
        ["пневматика", "подбор"],
        "Диаметр поршня, давление в сети и запас по усилию — на одном примере.",
    ),
]


def _id(*parts: str) -> str:
    """A stable block id, so two demo databases hold the same page JSON."""
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


def _brochure() -> Document:
    found = Document.objects.filter(title=BROCHURE_TITLE).first()
    if found is not None:
        return found
    sections = [
        (c.name, c.product_set.count())
        for c in Category.get_root_nodes().order_by("path")
    ]
    data = pdf_render(
        template="shop/demo/catalog_brochure.html",
        context={
            "title": BROCHURE_TITLE,
            "subtitle": "Подшипники, крепёж, электротехника, пневматика, инструмент",
            "sections": sections,
        },
        language="ru",
    )
    document = Document(title=BROCHURE_TITLE)
    document.file.save("catalog-brochure.pdf", ContentFile(data), save=False)
    document.save()
    return document


def _case_study(home) -> CaseStudyPage:
    found = CaseStudyPage.objects.child_of(home).filter(slug="case-zavod").first()
    if found is not None:
        return found
    results = [
        _block("figure", {"number": "−18 %", "label": "затрат на закупку"}, "r1"),
        _block("figure", {"number": "1 день", "label": "от заявки до отгрузки"}, "r2"),
        _block("figure", {"number": "340", "label": "позиций в договоре"}, "r3"),
    ]
    return _publish(
        home,
        CaseStudyPage(
            title="Завод перешёл на закупку по договорным ценам",
            slug="case-zavod",
            search_description="Как машиностроительный завод сократил затраты "
            "на комплектующие и сроки поставки.",
            customer="Машиностроительный завод",
            industry="manufacturing",
            problem="Закупки шли через пять поставщиков, счета приходили с "
            "опозданием, а аналоги подбирал один инженер.",
            solution="<p>Договорный прайс на 340 позиций, заказ по артикулам из "
            "спецификации и отсрочка платежа в пределах кредитного лимита.</p>",
            results=json.dumps(results),
        ),
    )


def _landing_body(segment: str, case_study, brochure) -> list[dict]:
    categories = list(
        Category.get_root_nodes()
        .filter(name__in=SEGMENT_CATEGORIES[segment])
        .order_by("path")
        .values_list("pk", flat=True)
    )
    audience = {"construction": "строителей", "manufacturing": "производств"}[segment]
    benefits = [
        {
            "title": "Поиск по артикулу",
            "text": "Любое написание, аналоги в наличии.",
            "icon": "search",
        },
        {
            "title": "Договорные цены",
            "text": "Ваша цена и скидки от объёма на каждой странице.",
            "icon": "price",
        },
        {
            "title": "Отсрочка платежа",
            "text": "Заказ в пределах кредитного лимита.",
            "icon": "credit",
        },
        {
            "title": "Документы 24/7",
            "text": "Счета, накладные и сертификаты в кабинете.",
            "icon": "documents",
        },
    ]
    faq = [
        {
            "question": "Какие сроки поставки?",
            "answer": "Товар со склада отгружаем на следующий рабочий день; "
            "срок по каждому складу виден заранее.",
        },
        {
            "question": "Есть ли сертификаты?",
            "answer": "Сертификаты и паспорта "
            "приходят с каждой поставкой и хранятся в кабинете.",
        },
        {
            "question": "С кем вы уже работаете?",
            "answer": "Заводы, подрядчики и дилеры заказывают у нас каждую неделю.",
        },
    ]
    return [
        _block(
            "hero",
            {
                "title": f"Комплектующие для {audience} по договорной цене",
                "text": "Подшипники, крепёж, пневматика и электротехника: цена и "
                "наличие вашей компании, заказ по артикулу, документы онлайн.",
                "cta_label": "Получить коммерческое предложение",
                "cta_action": "form",
                "cta_url": "",
                "form_kind": "proposal",
            },
            segment,
        ),
        _block("benefits", {"items": _items(benefits, segment, "b")}, segment),
        _block(
            "figures",
            {
                "items": _items(
                    [
                        {"number": "12 000+", "label": "позиций на складах"},
                        {"number": "1 день", "label": "до отгрузки со склада"},
                        {"number": "15 лет", "label": "на рынке"},
                    ],
                    segment,
                    "f",
                )
            },
            segment,
        ),
        _block(
            "live_catalog",
            {
                "title": "Популярные позиции",
                "categories": categories,
                "articles": "",
                "limit": 6,
            },
            segment,
        ),
        _block("case_study", {"case_study": case_study.pk}, segment),
        _block(
            "testimonial",
            {
                "quote": "Заказываем по артикулам из спецификации — "
                "полчаса вместо дня.",
                "person": "Ирина Соколова",
                "company": "отдел снабжения",
            },
            segment,
        ),
        _block("faq", {"title": "", "items": _items(faq, segment, "q")}, segment),
        _block(
            "download",
            {
                "title": "Каталог в PDF",
                "text": "Разделы каталога одним файлом.",
                "document": brochure.pk,
            },
            segment,
        ),
        _block(
            "lead_form",
            {
                "title": "Рассчитаем цену на вашу спецификацию",
                "text": "Оставьте телефон или e-mail — менеджер ответит "
                "в рабочее время.",
                "kind": "proposal",
            },
            segment,
        ),
    ]


def _landing(home, segment: str, title: str, case_study, brochure) -> None:
    if LandingPage.objects.child_of(home).filter(slug=segment).exists():
        return
    _publish(
        home,
        LandingPage(
            title=title,
            slug=segment,
            search_description=f"{title}: договорные цены, наличие и документы.",
            industry=segment,
            body=json.dumps(_landing_body(segment, case_study, brochure)),
        ),
    )


def _articles(home) -> None:
    index = ArticleIndexPage.objects.child_of(home).filter(slug="articles").first()
    if index is None:
        index = _publish(
            home,
            ArticleIndexPage(
                title="Статьи",
                slug="articles",
                intro="Как подобрать, заменить и заказать комплектующие.",
                search_description="Статьи о подборе подшипников, крепежа и "
                "пневматики.",
            ),
        )
    for slug, title, date, tags, intro in ARTICLES:
        if ArticlePage.objects.child_of(index).filter(slug=slug).exists():
            continue
        body = [
            _block(
                "paragraph",
                f"<p>{intro}</p><h2>Коротко</h2><p>Найдите "
                "номер в каталоге: поиск понимает любое написание.</p>",
                slug,
            ),
            _block(
                "quote",
                {
                    "quote": "Правильно подобранная деталь служит дольше.",
                    "attribution": "технический отдел",
                },
                slug,
            ),
        ]
        article = ArticlePage(
            title=title,
            slug=slug,
            date=date,
            author="Технический отдел",
            intro=intro,
            search_description=intro,
            body=json.dumps(body),
        )
        article.tags.add(*tags)
        _publish(index, article)


def build_demo_content(*, stdout=None) -> None:
    home = HomePage.objects.order_by("path").first()
    if home is None:
        return
    brochure = _brochure()
    case_study = _case_study(home)
    _landing(home, "construction", "Для строительных компаний", case_study, brochure)
    _landing(home, "manufacturing", "Для производств", case_study, brochure)
    _articles(home)
    if stdout is not None:
        stdout.write("Demo pages: 2 landing pages, 3 articles, 1 case study.")
