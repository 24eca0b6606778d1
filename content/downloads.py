"""Downloads that count (`/downloads/<id>/`): a document of a page's download block,
served by Wagtail's own view (its collection privacy rules and serve method apply)
after the download is recorded; a gated one only once this browser's session has a
lead — the short form first (the same trap and limits as the request form).

The block's link carries a signed token naming its page and whether it is gated
(`download_url`); a link without a valid token is gated, so nobody ungates a file
by editing the URL. The file's own Wagtail URL (`/documents/<id>/<name>`) stays
what Wagtail makes of it: the gate collects a lead, it does not hide the file."""

from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from wagtail.documents import get_document_model
from wagtail.documents.views.serve import serve as wagtail_document_serve
from wagtail.models import Page

from content.forms import LeadForm
from content.limits import lead_limit_hit
from content.models import Lead
from content.receivers import DOWNLOAD_CONTEXT_ATTR
from content.views import lead_from_form, too_many_response

SESSION_LEAD = "content.download_lead"
_SALT = "content.downloads"


def download_url(*, document, page=None, gated: bool = False) -> str:
    """The counted link of a download block."""
    token = signing.dumps(
        {"d": document.pk, "p": page.pk if page else None, "g": bool(gated)},
        salt=_SALT,
        compress=True,
    )
    url = reverse("downloads:document", args=[document.pk])
    return f"{url}?{urlencode({'t': token})}"


def _link(token: str, document_id: int) -> tuple[int | None, bool]:
    """The page and the gate a link's token says; no valid token: gated."""
    try:
        data = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None, True
    if not isinstance(data, dict) or data.get("d") != document_id:
        return None, True
    page_id = data.get("p")
    return (page_id if isinstance(page_id, int) else None), bool(data.get("g"))


def _session_lead(request) -> Lead | None:
    lead_id = request.session.get(SESSION_LEAD)
    if not isinstance(lead_id, int):
        return None
    return Lead.objects.filter(pk=lead_id).first()


def document(request, document_id: int):
    doc = get_object_or_404(get_document_model(), pk=document_id)
    token = request.GET.get("t", "")
    page_id, gated = _link(token, doc.pk)
    page = Page.objects.filter(pk=page_id).first() if page_id else None
    lead = _session_lead(request)
    if gated and lead is None:
        return _gate(request, doc=doc, page=page)
    setattr(request, DOWNLOAD_CONTEXT_ATTR, {"page": page, "lead": lead})
    return wagtail_document_serve(request, doc.pk, doc.filename)


def _gate(request, *, doc, page):
    """The short form before a gated file; a person who sends it gets the file."""
    back = request.get_full_path()
    if request.method != "POST":
        form = LeadForm(
            request=request, initial={"page": (page.url or "") if page else ""}
        )
        return _gate_page(request, form=form, doc=doc)
    form = LeadForm(request.POST, request=request)
    if form.is_trapped:
        # Counted like any submission, answered as if sent; nothing stored or served.
        hit = lead_limit_hit(request)
        return too_many_response(request, hit) if hit else redirect(back)
    if not form.is_valid():
        return _gate_page(request, form=form, doc=doc)
    data = form.cleaned_data
    contact = data["contact"]["email"] or data["contact"]["phone"]
    if hit := lead_limit_hit(request, contact=contact):
        return too_many_response(request, hit)
    lead = lead_from_form(request, form, kind=Lead.Kind.CONSULTATION, source_page=page)
    request.session[SESSION_LEAD] = lead.pk
    return redirect(back)


def _gate_page(request, *, form, doc):
    return render(
        request, "content/download_gate.html", {"form": form, "document": doc}
    )
