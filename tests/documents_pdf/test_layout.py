"""Documents read back as text and as boxes: the labels of the Russian forms, numbers
formatted per language, amounts in words, no word outside its table cell (a
40-character article, a 200-character name), no row split across pages, the
header row on every page."""

from decimal import Decimal
from unittest import mock

import pytest
from django.template import engines
from django.utils import translation

from invoicing.pdf.formatting import amount_format, date_long, number_format
from invoicing.pdf.render import pdf_render
from invoicing.pdf.units import unit_code
from invoicing.services.documents import (
    delivery_note_pdf_render,
    invoice_pdf_bytes,
    upd_pdf_bytes,
)
from invoicing.services.invoices import credit_note_issue
from tests.documents_pdf.conftest import LONG_ARTICLE
from tests.documents_pdf.pdfcheck import (
    cell_overflows,
    cell_text,
    cell_texts,
    flat,
    layout_text,
    page_cells,
    row_with,
    table_rows,
    words_by_page,
)

pytestmark = pytest.mark.django_db

NBSP = "\u00a0"


def test_amounts_are_formatted_per_language():
    assert amount_format(Decimal("2342.74"), language="ru") == f"2{NBSP}342,74"
    assert amount_format(Decimal("1521428.1"), language="ru") == (
        f"1{NBSP}521{NBSP}428,10"
    )
    assert amount_format(Decimal("2342.74"), language="en") == "2,342.74"
    assert amount_format(Decimal("-5"), language="en-gb") == "-5.00"
    assert number_format(Decimal("20.00"), language="ru") == "20"
    assert number_format(1000, language="ru") == f"1{NBSP}000"
    assert amount_format(None, language="ru") == ""


def test_the_template_filter_follows_the_active_language():
    from invoicing.templatetags.document_format import amount
    from invoicing.templatetags.document_format import date_long as long

    with translation.override("ru"):
        assert amount(Decimal("2342.74")) == f"2{NBSP}342,74"
    with translation.override("en"):
        assert amount(Decimal("2342.74")) == "2,342.74"
    from datetime import date

    with translation.override("ru"):
        assert long(date(2026, 3, 5)) == "5 марта 2026 г."
    assert date_long(date(2026, 3, 5), language="en") == "5 March 2026"


def test_units_map_to_okei_codes_by_code_or_name():
    assert (unit_code("pcs").okei, unit_code("pcs").name_ru) == ("796", "шт")
    assert unit_code("шт").okei == "796"
    assert unit_code("kg").okei == unit_code("кг").okei == "166"
    assert unit_code("m").okei == "006"
    assert unit_code("barrel").okei == "—"


HEADERS_RU = (
    "Артикул",
    "Товары (работы, услуги)",
    "Кол-во",
    "Ед.",
    "Цена без НДС",
    "Ставка НДС",
    "Сумма НДС",
    "Сумма с НДС",
)


def test_invoice_in_russian_reads_as_the_standard_form(invoice_ru):
    data = invoice_pdf_bytes(invoice=invoice_ru)
    text = flat(layout_text(data))

    for label in (
        "Банк получателя",
        "БИК 044525225",
        "Сч. № 30101810400000000225",
        "Получатель",
        f"Счёт на оплату № {invoice_ru.display_number} от",
        "Поставщик: ООО «Промснаб», ИНН 7707083893, КПП 770701001",
        "Покупатель: ООО «Механика Сервис», ИНН 7736207543, КПП 773601001",
        "Руководитель",
        "Бухгалтер",
        "Иванов И. И.",
    ):
        assert label in text, label
    assert "Закупщик" not in text
    cells = cell_texts(data)
    for header in HEADERS_RU:  # each header cell holds its whole label
        assert header in cells, header
    rows = table_rows(data)
    row_with(rows, "12", "шт", "2 342,74", "20%", "5 622,58", "33 735,46")
    row_with(rows, "1 000", "шт", "1 234,56", "20%", "246 912,00", "1 481 472,00")
    row_with(rows, "1", "шт", "1 500,00", "без НДС", "0,00", "1 500,00")
    assert "Итого без НДС: 1 268 106,78" in text
    assert "НДС 20%: 253 321,36" in text
    assert "Всего к оплате: 1 521 428,14" in text
    assert "Всего наименований 5, на сумму 1 521 428,14 RUB" in text
    assert (
        "Один миллион пятьсот двадцать одна тысяча четыреста двадцать восемь "
        "рублей 14 копеек" in text
    )


def test_invoice_in_english_for_a_foreign_buyer(invoice_en):
    data = invoice_pdf_bytes(invoice=invoice_en)
    text = flat(layout_text(data))

    assert f"Invoice for payment No. {invoice_en.display_number} of" in text
    assert "Buyer: Nordic Bearings AB, Tax ID SE556677889901" in text
    row_with(table_rows(data), "12", "pcs", "2,342.74", "20%", "5,622.58", "33,735.46")
    row_with(table_rows(data), "1,000", "pcs", "1,234.56", "20%", "246,912.00")
    assert "Total due: 1,521,428.14" in text
    assert "5 items in total, for the amount of 1,521,428.14 RUB" in text
    assert (
        "One million, five hundred and twenty-one thousand, four hundred and "
        "twenty-eight roubles, 14 kopeks" in text
    )


def test_credit_note_names_the_invoice_it_corrects(invoice_ru):
    note = credit_note_issue(invoice=invoice_ru, issued_by=None)

    text = flat(layout_text(invoice_pdf_bytes(invoice=note)))

    assert f"Корректировочный документ № {note.display_number} от" in text
    assert f"К документу: счёт № {invoice_ru.display_number}" in text
    assert "Итого к уменьшению: 1 521 428,14" in text
    assert "Банк получателя" not in text


def test_upd_has_the_fields_of_the_official_form(shipped):
    data = upd_pdf_bytes(note=shipped)
    text = flat(layout_text(data))

    for label in (
        "Универсальный",
        "передаточный документ",
        "Статус: 1",
        f"Счёт-фактура № {shipped.display_number} от",
        "Продавец ООО «Промснаб»",
        "ИНН/КПП продавца 7707083893/770701001",
        "Грузоотправитель и его адрес он же",
        "Грузополучатель и его адрес ООО «Механика Сервис»",
        "К платёжно-расчётному документу № ПП 4711 от",
        "Покупатель ООО «Механика Сервис»",
        "ИНН/КПП покупателя 7736207543/773601001",
        "Валюта: наименование, код Российский рубль, 643",
        "Всего к оплате",
        "Основание передачи (сдачи) / получения (приёмки)",
        "Товар (груз) передал",
        "Товар (груз) получил",
        "Главный бухгалтер или иное уполномоченное лицо",
    ):
        assert label in text, label
    row = row_with(table_rows(data), "796", "шт", "4", "815,30", "3 261,20")
    assert row[-7:] == ["без акциза", "20%", "652,24", "3 913,44", "—", "—", "—"], row
    cells = cell_texts(data)
    assert {"без акциза", "796", "шт", "Российский рубль, 643"} - cells == {
        "Российский рубль, 643"  # a header field, not a table cell
    }
    assert "1 265 934,08" in text and "253 186,82" in text and "1 519 120,90" in text
    assert "Один миллион пятьсот девятнадцать тысяч сто двадцать рублей 90 копеек" in (
        text
    )


def test_upd_is_a4_landscape(shipped):
    import io

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(upd_pdf_bytes(note=shipped))).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)


def test_delivery_note_has_prices_vat_and_unit_codes(shipped):
    data = delivery_note_pdf_render(note=shipped).pdf.read()
    text = flat(layout_text(data))

    assert f"Товарная накладная № {shipped.display_number} от" in text
    assert "Грузоотправитель: он же" in text
    assert cell_text(data, "Код", joiner=" ") == "Код по ОКЕИ"
    rows = table_rows(data)
    row_with(rows, "шт", "796", "4", "815,30", "3 261,20", "20%", "652,24", "3 913,44")
    total = next(r for r in rows if r and r[0] == "Итого")
    assert [c for c in total if c] == [
        "Итого",
        "1 016",
        "1 265 934,08",
        "253 186,82",
        "1 519 120,90",
    ]
    assert "Отпуск груза произвёл" in text and "Груз получил" in text


def _render_every_kind(invoice_ru, invoice_en, shipped):
    return {
        "invoice ru": invoice_pdf_bytes(invoice=invoice_ru),
        "invoice en": invoice_pdf_bytes(invoice=invoice_en),
        "credit note": invoice_pdf_bytes(
            invoice=credit_note_issue(invoice=invoice_ru, issued_by=None)
        ),
        "upd": upd_pdf_bytes(note=shipped),
        "delivery note": delivery_note_pdf_render(note=shipped).pdf.read(),
    }


def test_no_word_leaves_its_table_cell(invoice_ru, invoice_en, shipped):
    for kind, data in _render_every_kind(invoice_ru, invoice_en, shipped).items():
        overflows, checked = cell_overflows(data)
        assert checked > 60, kind  # the tables were found and read
        assert overflows == [], kind
        # the long article wraps inside its cell and reads back whole
        assert cell_text(data, LONG_ARTICLE[:8]) == LONG_ARTICLE, kind


def test_the_checker_sees_a_word_that_crosses_its_cell():
    """The overflow check itself: an article too long for its cell, with breaking
    forbidden, is reported."""
    html = (
        '<table class="goods"><colgroup><col style="width:20mm"><col></colgroup>'
        "<tr><td style='overflow-wrap:normal;hyphens:manual'>{{ word }}</td>"
        "<td>x</td></tr></table>"
    )
    template = engines["django"].from_string(html)
    with mock.patch(
        "invoicing.pdf.render.render_to_string",
        side_effect=lambda name, context: template.render(context),
    ):
        data = pdf_render(template="unused", context={"word": "W" * 40}, language="ru")

    overflows, checked = cell_overflows(data)

    assert checked == 2
    assert [o.word for o in overflows] == ["W" * 40]


def test_eighty_lines_no_row_split_and_the_header_on_every_page(many_lines_invoice):
    data = invoice_pdf_bytes(invoice=many_lines_invoice)
    pages = words_by_page(data)
    cells = page_cells(data)
    assert len(pages) >= 3

    for page_words in pages:  # the header row on every page with lines
        if any(w["text"].startswith("ROW-") for w in page_words):
            assert any(w["text"] == "Артикул" for w in page_words)
    for line in many_lines_invoice.lines.all():
        i = line.position
        sum_text = amount_format(line.amount_incl_vat, language="ru")
        where = {
            token: [
                n
                for n, words in enumerate(pages)
                if any(w["text"] == token for w in words)
            ]
            for token in (f"ROW-{i:03d}", f"Alpha{i:03d}", f"Omega{i:03d}")
        }
        # each line on exactly one page: its article, first and last word together
        assert (
            where[f"ROW-{i:03d}"] == where[f"Alpha{i:03d}"] == where[f"Omega{i:03d}"]
        ), (i, where)
        (page,) = where[f"ROW-{i:03d}"]
        article = next(w for w in pages[page] if w["text"] == f"ROW-{i:03d}")
        row = [
            c
            for c in cells[page]
            if c[1] <= article["top"] and article["bottom"] <= c[3]
        ]
        top, bottom = min(c[1] for c in row), max(c[3] for c in row)
        in_row = " ".join(
            w["text"] for w in pages[page] if top <= w["top"] and w["bottom"] <= bottom
        )
        assert flat(sum_text) in flat(in_row), (i, in_row)
    overflows, _ = cell_overflows(data)
    assert overflows == []


def test_statement_has_both_parties_columns_and_the_conclusion(shipped, seller):
    from datetime import timedelta

    from django.utils import timezone

    from invoicing.selectors import statement_for_company
    from invoicing.services.documents import statement_pdf_bytes
    from invoicing.services.invoices import invoice_issue
    from tests.cabinet.factories import order_make, priced_product

    company = shipped.company
    membership = company.memberships.get(role="buyer")
    unpaid = invoice_issue(
        order=order_make(
            company=company,
            user=membership.user,
            lines=[(priced_product(article="B-1"), 10, "100.00")],
        ),
        membership=membership,
    )
    today = timezone.localdate()
    with translation.override("ru"):  # as the view, in the reader's language
        statement = statement_for_company(
            company=company, start=today - timedelta(days=30), end=today, seller=seller
        )

    data = statement_pdf_bytes(statement=statement, language="ru")

    text = flat(layout_text(data))
    assert "Акт сверки взаимных расчётов" in text
    assert "Мы, нижеподписавшиеся" in text
    cells = cell_texts(data)
    assert "По данным ООО «Промснаб», RUB" in cells
    assert "По данным ООО «Механика Сервис», RUB" in cells
    rows = table_rows(data)
    # our debit is the buyer's credit, and the other way round
    day = f"{today:%d.%m.%Y}"
    label = f"Счёт {unpaid.display_number}"
    assert row_with(rows, day, label) == [
        day,
        label,
        "1 200,00",
        "",
        day,
        label,
        "",
        "1 200,00",
    ]
    paid_on = f"{today - timedelta(days=1):%d.%m.%Y}"
    assert row_with(rows, paid_on, "Оплата ПП 4711") == [
        paid_on,
        "Оплата ПП 4711",
        "",
        "1 519 120,90",
        paid_on,
        "Оплата ПП 4711",
        "1 519 120,90",
        "",
    ]
    closing = row_with(rows, "Сальдо конечное")
    assert [c for c in closing if c] == [
        "Сальдо конечное",
        "1 200,00",
        "Сальдо конечное",
        "1 200,00",
    ]
    assert (
        f"По данным ООО «Промснаб» на {today:%d.%m.%Y} задолженность в пользу "
        "ООО «Промснаб» составляет 1 200,00 RUB (Одна тысяча двести рублей "
        "00 копеек)." in text
    )
    assert "От ООО «Промснаб»" in text and "От ООО «Механика Сервис»" in text
    assert "Главный бухгалтер" in text
    assert cell_overflows(data)[0] == []
