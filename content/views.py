"""The short request form's endpoint: shows it on its own page and takes submissions
(a trap field for bots, limits per address and per contact, the lead's touches, the
consent the person gave, the page it was sent from, a form-submission event)."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from content.forms import LeadForm, page_path_safe
from content.leads.selectors import page_for_path
from content.leads.services import lead_create
from content.limits import BY_ADDRESS, lead_limit_hit, wait_minutes
from content.models import Event, Lead
from content.touches import first_touch_from_cookie, last_touch_from_submission
from content.tracking import event_record_quietly, visitor_id_from_request


def lead(request):
    if request.method != "POST":
        form = LeadForm(
            request=request,
            initial={"kind": request.GET.get("kind", "consultation")},
        )
        return render(request, "content/lead.html", {"form": form})
    form = LeadForm(request.POST, request=request)
    if form.is_trapped:
        # Counted like any submission; otherwise answered as a success, and dropped.
        hit = lead_limit_hit(request)
        return too_many_response(request, hit) if hit else _thanks(request, form.data)
    if not form.is_valid():
        return render(request, "content/lead.html", {"form": form})
    data = form.cleaned_data
    contact = data["contact"]["email"] or data["contact"]["phone"]
    if hit := lead_limit_hit(request, contact=contact):
        return too_many_response(request, hit)
    lead_from_form(
        request,
        form,
        kind=data["kind"],
        source_page=page_for_path(request=request, path=data["page"]),
    )
    return _thanks(request, data)


def lead_from_form(request, form, *, kind: str, source_page) -> Lead:
    """Store (or merge) the lead of a valid short form, with the request's person,
    company, touches and visitor, and record the submission. Also the gated
    download's."""
    data = form.cleaned_data
    lead = lead_create(
        kind=kind,
        name=data["name"],
        email=data["contact"]["email"],
        phone=data["contact"]["phone"],
        inn=data["inn"],
        page=data["page"],
        source_page=source_page,
        user=request.user,
        company=request.company,
        first_touch=first_touch_from_cookie(request),
        last_touch=last_touch_from_submission(request, page=data["page"]),
        consent_text=form.consent_given.text,
        visitor_id=visitor_id_from_request(request),
    )
    event_record_quietly(
        kind=Event.Kind.FORM_SUBMIT, request=request, lead=lead, page=source_page
    )
    return lead


def _thanks(request, data):
    messages.success(
        request, _("Thank you! A manager will contact you during working hours.")
    )
    return redirect(page_path_safe(data.get("page") or "") or "/")


def too_many_response(request, hit):
    """The 429 page of a short form over a limit (`content.limits`): which limit,
    and in how many minutes to try again. Also the gated download's."""
    limit, seconds = hit
    minutes = wait_minutes(seconds)
    if limit == BY_ADDRESS:
        message = ngettext(
            "Too many requests from your address; try again in %(minutes)d minute "
            "or call us.",
            "Too many requests from your address; try again in %(minutes)d minutes "
            "or call us.",
            minutes,
        )
    else:
        message = ngettext(
            "Too many requests for this phone or e-mail; try again in %(minutes)d "
            "minute or call us.",
            "Too many requests for this phone or e-mail; try again in %(minutes)d "
            "minutes or call us.",
            minutes,
        )
    response = render(
        request,
        "content/lead_limited.html",
        {"message": message % {"minutes": minutes}},
        status=429,
    )
    response["Retry-After"] = str(seconds or 60)
    return response
