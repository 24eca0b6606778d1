"""Demo leads at every stage of the pipeline (from the landing pages, campaigns,
a newsletter and an exhibition; owners, notes, a merged duplicate, leads matched to
demo companies), and the two staff people who work them: a marketer and a sales
manager. Built through the lead services, like the site's own requests, then
spread over the last weeks so the funnel report has a history."""

import datetime as dt
from typing import NamedTuple

from django.contrib.auth.models import Group
from django.db.models import F

from accounts.models import Company, User
from content.leads.groups import MARKETERS_GROUP
from content.leads.selectors import SALES_MANAGERS_GROUP
from content.leads.services import (
    lead_assign,
    lead_create,
    lead_note_add,
    lead_status_set,
)
from content.models import LandingPage, Lead
from shop.demo.accounts import _user

S = Lead.Status
CONSENT = (
    "Я согласен на обработку моих персональных данных (имя, телефон, e-mail) для "
    "ответа на заявку в соответствии с Федеральным законом № 152-ФЗ."
)


def _touch(source: str, medium: str, campaign: str, landing: str) -> dict:
    referrers = {
        "yandex": "https://yandex.ru/",
        "google": "https://www.google.com/",
        "email": "",
        "exhibition": "",
    }
    query = f"utm_source={source}&utm_medium={medium}&utm_campaign={campaign}"
    return {
        "utm_source": source,
        "utm_medium": medium,
        "utm_campaign": campaign,
        "referrer": referrers.get(source, ""),
        "landing_url": f"{landing}?{query}",
    }


class DemoLead(NamedTuple):
    days_ago: int
    kind: str
    name: str
    email: str
    phone: str
    inn_of: str | None  # the demo company whose INN the person gave
    landing: str  # the landing page's slug, "" for another page
    touch: tuple[str, str, str]  # UTM source, medium, campaign
    stages: list[str]
    reason: str
    owner: str | None  # "manager" / "sales", None: the company's or the queue
    notes: list[str]


YANDEX = ("yandex", "cpc", "stroy-spring")
GOOGLE = ("google", "cpc", "bearings-search")
NEWSLETTER = ("email", "newsletter", "november-digest")
EXHIBITION = ("exhibition", "offline", "mashex-2026")

LEADS = [DemoLead(*row) for row in [
    (2, "consultation", "Павел Гришин", "", "+7 916 204-11-35", None,
     "construction", YANDEX, [], "", None, []),
    (1, "proposal", "Наталья Белова", "belova.n@gmail.com", "", None,
     "", GOOGLE, [], "", None, []),
    (6, "consultation", "Виктор Зуев", "zuev@agrotech.example", "", None,
     "manufacturing", NEWSLETTER, [S.MQL], "", None,
     ["Интересуют подшипники для сельхозтехники, просит прайс на 2027 год."]),
    (9, "proposal", "Ольга Тарасова", "o.tarasova@metallprom.example", "", None,
     "", EXHIBITION, [S.MQL], "", None,
     ["Познакомились на стенде, взяла каталог. Закупки раз в квартал."]),
    (12, "proposal", "Игорь Лаптев", "", "+7 343 355-20-17", None,
     "construction", YANDEX, [S.SQL], "", "manager",
     ["Созвонились: объект в Екатеринбурге, нужен крепёж и анкеры партиями."]),
    # Matched by the INN the person gave: Zavod and its account manager.
    (15, "proposal", "Денис Руденко", "snab@zavod.demo", "", "zavod",
     "manufacturing", GOOGLE, [S.SQL], "", None,
     ["Компания уже наш клиент: передано менеджеру компании."]),
    (18, "proposal", "Светлана Ерёмина", "eremina@stankomash.example", "", None,
     "manufacturing", GOOGLE, [S.MQL, S.SQL, S.OPPORTUNITY], "", "sales",
     ["Отправлено КП на 1,2 млн ₽, ждём решения до конца месяца."]),
    # Matched by the e-mail domain of Stroymontazh's people: its account manager.
    (21, "proposal", "Артём Ковалев", "kovalev@stroymontazh.demo", "", None,
     "construction", YANDEX, [S.SQL, S.OPPORTUNITY], "", None, []),
    (30, "proposal", "Михаил Соловьёв", "soloviev@energomash.example", "", None,
     "", EXHIBITION, [S.MQL, S.SQL, S.OPPORTUNITY, S.WON], "", "sales",
     ["Первый заказ оплачен, договор на год."]),
    (27, "proposal", "Елена Фомина", "fomina@stroyresurs.example", "", None,
     "construction", NEWSLETTER, [S.SQL, S.OPPORTUNITY, S.LOST],
     "Выбрали поставщика с более коротким сроком поставки", "manager", []),
    (10, "consultation", "Алина", "alina.k@mail.ru", "", None,
     "", GOOGLE, [S.DISQUALIFIED], "Частное лицо, покупка для себя", None, []),
    (14, "consultation", "", "", "+7 999 000-12-34", None,
     "", YANDEX, [S.DISQUALIFIED], "Не дозвонились за две недели, номер не отвечает",
     None, []),
]]  # fmt: skip

MERGED_EMAIL = "kuznetsov@teplo-service.example"


def _demo_staff() -> dict[str, User]:
    """The marketer (the admin's lead list, no dashboard) and the sales manager."""
    marketer = _user("marketer@demo.local", "Ксения", "Миронова", language="ru")
    marketer.groups.add(Group.objects.get(name=MARKETERS_GROUP))
    sales = _user("sales@demo.local", "Андрей", "Белов", is_staff=True, language="ru")
    sales.groups.add(Group.objects.get(name=SALES_MANAGERS_GROUP))
    return {
        "marketer": marketer,
        "sales": sales,
        "manager": User.objects.get(email="manager@demo.local"),
    }


def _backdate(lead: Lead, days: int) -> None:
    """The lead and its notes as if they had come `days` ago."""
    shift = dt.timedelta(days=days)
    fields = {
        name: F(name) - shift
        for name in ("created_at", "updated_at")
        + ("mql_at", "sql_at", "opportunity_at", "closed_at")
    }
    Lead.objects.filter(pk=lead.pk).update(**fields)
    lead.notes.update(created_at=F("created_at") - shift)


def _one(row: DemoLead, *, staff, companies, pages) -> Lead:
    page = pages.get(row.landing)
    path = page.url if page is not None else "/catalogue/"
    lead = lead_create(
        kind=row.kind,
        name=row.name,
        email=row.email,
        phone=row.phone,
        inn=companies[row.inn_of].tax_id if row.inn_of else "",
        page=path,
        source_page=page,
        first_touch=_touch(*row.touch, path),
        last_touch={"landing_url": path},
        consent_text=CONSENT,
    )
    marketer = staff["marketer"]
    for note in row.notes:
        lead_note_add(lead=lead, author=marketer, text=note)
    if row.owner:
        lead_assign(lead=lead, owner=staff[row.owner], by=marketer)
    seller = lead.owner or staff["sales"]
    for status in row.stages:
        lead = lead_status_set(
            lead=lead,
            status=status,
            by=marketer if status in (S.MQL, S.DISQUALIFIED) else seller,
            reason=row.reason if status in (S.LOST, S.DISQUALIFIED) else "",
        )
    _backdate(lead, row.days_ago)
    return lead


def _merged_duplicate(*, pages) -> Lead:
    """One person, two requests a few days apart: one lead, two submissions."""
    page = pages.get("manufacturing")
    common = {
        "email": MERGED_EMAIL,
        "source_page": page,
        "page": page.url if page is not None else "/",
        "consent_text": CONSENT,
    }
    lead = lead_create(
        kind="consultation",
        name="Роман Кузнецов",
        first_touch=_touch(*NEWSLETTER, common["page"]),
        **common,
    )
    lead_create(kind="proposal", phone="+7 812 600-33-44", **common)
    _backdate(lead, 4)
    return lead


def build_demo_leads(*, companies: dict[str, Company], stdout=None) -> None:
    staff = _demo_staff()
    if Lead.objects.filter(email=MERGED_EMAIL).exists():
        return
    pages = {page.slug: page for page in LandingPage.objects.live()}
    for row in LEADS:
        _one(row, staff=staff, companies=companies, pages=pages)
    _merged_duplicate(pages=pages)
    if stdout is not None:
        stdout.write(f"Demo leads: {len(LEADS) + 1}, at every stage.")
