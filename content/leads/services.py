"""Writes of the lead pipeline: a request stored or merged into the open lead of the
same person, its company and owner, its stage, owner and notes. Notes are written in
the site's language (`settings.LANGUAGE_CODE`): they are the lead's history."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Company, User
from content.leads.matching import (
    company_match,
    phone_digits_expression,
    phone_digits_variants,
)
from content.models import Lead, LeadNote
from content.touches import touch_clean
from core.mail import mail_enqueue, subject_line

S = Lead.Status
# The stages in order; a lead moves forward through them.
STAGES = (S.NEW, S.MQL, S.SQL, S.OPPORTUNITY)
# The stamp each stage leaves when first reached.
STAGE_STAMPS = {S.MQL: "mql_at", S.SQL: "sql_at", S.OPPORTUNITY: "opportunity_at"}
CLOSED = frozenset({S.WON, S.LOST, S.DISQUALIFIED})
# Lost is a deal sales has qualified and did not get; earlier, it is disqualified.
LOSABLE = frozenset({S.SQL, S.OPPORTUNITY})
REOPENABLE = frozenset({S.LOST, S.DISQUALIFIED})
NOTE_MAX = 5000


def _user_or_none(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _note(lead: Lead, *, text: str, author: User | None = None) -> LeadNote:
    return LeadNote.objects.create(lead=lead, author=_user_or_none(author), text=text)


def _person(user: User | None) -> str:
    if user is None:
        return _("the sales queue")
    return user.get_full_name() or user.email


def _owner_of(company: Company | None) -> User | None:
    manager = company.account_manager if company is not None else None
    if manager is not None and manager.is_active and manager.is_staff:
        return manager
    return None


def lead_admin_url(lead: Lead) -> str:
    return settings.SHOP_BASE_URL.rstrip("/") + reverse("leads:edit", args=[lead.pk])


# --- a request comes in ------------------------------------------------------------


def _duplicate_for_update(*, email: str, phone: str) -> Lead | None:
    """The open lead of the same e-mail or phone number active within the merge
    window (the most recent), locked until the transaction ends."""
    match = Q()
    if email:
        match |= Q(email__iexact=email)
    variants = phone_digits_variants(phone)
    if variants:
        match |= Q(phone_digits__in=variants)
    if not match:
        return None
    since = timezone.now() - dt.timedelta(days=settings.SHOP_LEAD_MERGE_DAYS)
    candidate = (
        Lead.objects.exclude(status__in=CLOSED)
        .filter(updated_at__gte=since)
        .annotate(phone_digits=phone_digits_expression())
        .filter(match)
        .order_by("-updated_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    if candidate is None:
        return None
    # Locked, and still open: it may have been closed since it was found.
    return (
        Lead.objects.select_for_update()
        .exclude(status__in=CLOSED)
        .filter(pk=candidate)
        .first()
    )


def _merge(lead: Lead, *, request: dict) -> Lead:
    """Another request of the lead's person: counted, the last touch and the
    missing contacts taken, a proposal outranking a consultation, and a note."""
    now = timezone.now()
    came = [
        _("Another request: %(kind)s.") % {"kind": Lead.Kind(request["kind"]).label}
    ]
    if request["kind"] == Lead.Kind.PROPOSAL:
        lead.kind = Lead.Kind.PROPOSAL
    came += _merge_missing(lead, request=request)
    if request["page"]:
        came.append(_("Page: %(page)s.") % {"page": request["page"]})
    if request["last_touch"]:
        lead.last_touch = request["last_touch"]
    if request["consent_text"]:
        lead.consent_text, lead.consent_at = request["consent_text"], now
    if lead.company is None:
        lead.company = company_match(email=lead.email, inn=lead.inn)
    if lead.owner_id is None:
        lead.owner = _owner_of(lead.company)
    lead.submissions += 1
    lead.updated_at = now
    lead.save()
    _note(lead, text=" ".join(str(part) for part in came))
    return lead


def _merge_missing(lead: Lead, *, request: dict) -> list[str]:
    """Fill in what the lead lacks from the new request; what was added, said."""
    labels = {
        "name": _("Name"),
        "email": _("E-mail"),
        "phone": _("Phone"),
        "inn": _("INN"),
    }
    added = []
    for field, label in labels.items():
        value = request[field]
        if value and not getattr(lead, field):
            setattr(lead, field, value)
            added.append(
                _("%(field)s added: %(value)s.") % {"field": label, "value": value}
            )
    for field in ("user", "company", "source_page"):
        if getattr(lead, field) is None and request[field] is not None:
            setattr(lead, field, request[field])
    lead.visitor_id = lead.visitor_id or request["visitor_id"]
    return added


def lead_create(
    *,
    kind: str,
    name: str = "",
    email: str = "",
    phone: str = "",
    inn: str = "",
    page: str = "",
    source_page=None,
    user: User | None = None,
    company: Company | None = None,
    first_touch: dict | None = None,
    last_touch: dict | None = None,
    consent_text: str = "",
    visitor_id: str = "",
) -> Lead:
    """Store a request, or merge it into the open lead of the same e-mail or phone
    active within `SHOP_LEAD_MERGE_DAYS`. A new lead gets its company (the person's,
    else matched by INN or e-mail domain) and that company's account manager as its
    owner, who is mailed (the sales address when there is none) once committed."""
    first_touch = touch_clean(first_touch or {})
    last_touch = touch_clean(last_touch or {})
    request = {
        "kind": kind,
        "name": name.strip()[:150],
        "email": email.strip().lower(),
        "phone": phone.strip()[:32],
        "inn": inn.strip()[:20],
        "page": page[:255],
        "source_page": source_page,
        "user": _user_or_none(user),
        "company": company,
        "last_touch": last_touch,
        "visitor_id": visitor_id[:36],
        "consent_text": consent_text,
    }
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        duplicate = _duplicate_for_update(
            email=request["email"], phone=request["phone"]
        )
        if duplicate is not None:
            return _merge(duplicate, request=request)
        lead = _create(request, first_touch=first_touch)
    _mail_owner(lead)
    return lead


def _create(request: dict, *, first_touch: dict) -> Lead:
    origin = first_touch or request["last_touch"]
    now = timezone.now()
    company = request["company"] or company_match(
        email=request["email"], inn=request["inn"]
    )
    return Lead.objects.create(
        kind=request["kind"],
        name=request["name"],
        email=request["email"],
        phone=request["phone"],
        inn=request["inn"],
        page=request["page"],
        source_page=request["source_page"],
        user=request["user"],
        company=company,
        owner=_owner_of(company),
        first_touch=first_touch,
        last_touch=request["last_touch"],
        referrer=origin.get("referrer", ""),
        landing_url=origin.get("landing_url", ""),
        utm_source=origin.get("utm_source", ""),
        utm_campaign=origin.get("utm_campaign", ""),
        consent_text=request["consent_text"],
        consent_at=now if request["consent_text"] else None,
        visitor_id=request["visitor_id"],
        created_at=now,
        updated_at=now,
    )


def _mail_owner(lead: Lead) -> None:
    owner = lead.owner
    language = (owner.language if owner else "") or settings.LANGUAGE_CODE
    with translation.override(language):
        mail_enqueue(
            key=f"content.lead:{lead.pk}",
            subject=subject_line(
                _("New request: %(kind)s from %(contact)s")
                % {"kind": lead.get_kind_display(), "contact": lead.contact}
            ),
            body=render_to_string(
                "content/email/lead.txt", {"lead": lead, "url": lead_admin_url(lead)}
            ),
            to=[owner.email if owner is not None else settings.SHOP_EMAIL],
        )


# --- working a lead ----------------------------------------------------------------


def _locked(lead: Lead) -> Lead:
    """The lead's row as it is now, locked until the transaction ends."""
    return Lead.objects.select_for_update().get(pk=lead.pk)


def _refuse_move(current: str, status: str, reason: str) -> None:
    """Raise the ValidationError that says why `current` → `status` is not a move."""
    if status not in S.values:
        raise ValidationError(_("Unknown status."), code="unknown")
    if status == current:
        raise ValidationError(
            _("The lead is already “%(status)s”.") % {"status": S(status).label},
            code="same",
        )
    if current == S.WON:
        raise ValidationError(_("A won lead stays won."), code="won")
    if current in REOPENABLE:
        if status != S.NEW:
            raise ValidationError(
                _("A closed lead can only be reopened as new."), code="closed"
            )
        return
    if status == S.DISQUALIFIED:
        if not reason.strip():
            raise ValidationError(
                _("Say why the lead is disqualified."), code="reason_required"
            )
        return
    if status == S.LOST and current not in LOSABLE:
        raise ValidationError(
            _(
                "Only a lead sales has qualified can be lost; disqualify this one "
                "and say why."
            ),
            code="not_losable",
        )
    if status in STAGES and STAGES.index(status) < STAGES.index(current):
        raise ValidationError(
            _("A lead does not move back from “%(current)s” to “%(status)s”.")
            % {"current": S(current).label, "status": S(status).label},
            code="backwards",
        )


def lead_status_set(*, lead: Lead, status: str, by: User, reason: str = "") -> Lead:
    """Move the lead to `status`: forward through the stages (every stage reached
    or skipped gets its date once), to won/lost, to disqualified from any open stage
    (with a reason), or a lost/disqualified lead back to new. Anything else raises
    a ValidationError and changes nothing."""
    reason = reason.strip()[:255]
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        current = _locked(lead)
        _refuse_move(current.status, status, reason)
        now = timezone.now()
        reached = STAGES.index(status) if status in STAGES else len(STAGES)
        if status == S.WON or status in STAGES:
            for stage in STAGES[1 : reached + 1]:
                if getattr(current, STAGE_STAMPS[stage]) is None:
                    setattr(current, STAGE_STAMPS[stage], now)
        if status in CLOSED:
            current.closed_at, current.status_reason = now, reason
        else:
            current.closed_at, current.status_reason = None, ""
        text = _("Status: %(old)s → %(new)s.") % {
            "old": S(current.status).label,
            "new": S(status).label,
        }
        if reason:
            text += " " + _("Reason: %(reason)s") % {"reason": reason}
        current.status, current.updated_at = status, now
        current.save()
        _note(current, text=text, author=by)
    return current


def lead_note_add(*, lead: Lead, author: User, text: str) -> LeadNote:
    text = text.strip()
    if not text:
        raise ValidationError(_("Write the note first."), code="required")
    if len(text) > NOTE_MAX:
        raise ValidationError(
            _("A note holds at most %(max)d characters.") % {"max": NOTE_MAX},
            code="too_long",
        )
    with transaction.atomic():
        Lead.objects.filter(pk=lead.pk).update(updated_at=timezone.now())
        return _note(lead, text=text, author=author)


def lead_assign(*, lead: Lead, owner: User | None, by: User) -> Lead:
    """Give the lead to a staff member (None: back to the sales queue); the new
    owner is mailed unless they assigned it to themselves."""
    if owner is not None and not (owner.is_active and owner.is_staff):
        raise ValidationError(
            _("Leads go to active staff members only."), code="not_staff"
        )
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        current = _locked(lead)
        if current.owner_id == (owner.pk if owner else None):
            return current
        old, new = _person(current.owner), _person(owner)
        current.owner, current.updated_at = owner, timezone.now()
        current.save(update_fields=["owner", "updated_at"])
        note = _note(
            current,
            text=_("Owner: %(old)s → %(new)s.") % {"old": old, "new": new},
            author=by,
        )
        if owner is not None and owner.pk != getattr(by, "pk", None):
            _mail_assigned(current, note=note)
    return current


def _mail_assigned(lead: Lead, *, note: LeadNote) -> None:
    with translation.override(lead.owner.language or settings.LANGUAGE_CODE):
        mail_enqueue(
            key=f"content.lead-assigned:{lead.pk}:{note.pk}",
            subject=subject_line(
                _("A request is yours: %(kind)s from %(contact)s")
                % {"kind": lead.get_kind_display(), "contact": lead.contact}
            ),
            body=render_to_string(
                "content/email/lead.txt", {"lead": lead, "url": lead_admin_url(lead)}
            ),
            to=[lead.owner.email],
        )


# --- the person registers ----------------------------------------------------------


def leads_match_registered(*, user: User, company: Company | None) -> int:
    """A person registered: their open and closed leads by e-mail (and those the
    browser's visitor id already handed them) become theirs and, when the lead has
    none, their company's, with its account manager as the owner of a lead in the
    queue. The number of leads taken over."""
    if not user.email:
        return 0
    taken = 0
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        leads = Lead.objects.select_for_update().filter(
            Q(email__iexact=user.email) | Q(user=user)
        )
        owner = _owner_of(company)
        for lead in leads:
            changed = []
            if lead.user_id is None:
                lead.user, changed = user, [*changed, "user"]
            if lead.company_id is None and company is not None:
                lead.company, changed = company, [*changed, "company"]
                _note(
                    lead,
                    text=_("Registered: %(email)s for %(company)s.")
                    % {"email": user.email, "company": company.name},
                )
            if lead.owner_id is None and owner is not None and lead.company == company:
                lead.owner, changed = owner, [*changed, "owner"]
            if changed:
                lead.updated_at = timezone.now()
                lead.save(update_fields=[*changed, "updated_at"])
                taken += 1
    return taken
