"""The short request form's endpoint: shows it on its own page and takes submissions."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from content.forms import LeadForm
from content.services import lead_create


def lead(request):
    if request.method != "POST":
        form = LeadForm(initial={"kind": request.GET.get("kind", "consultation")})
        return render(request, "content/lead.html", {"form": form})
    form = LeadForm(request.POST)
    if not form.is_valid():
        return render(request, "content/lead.html", {"form": form})
    data = form.cleaned_data
    lead_create(
        kind=data["kind"],
        name=data["name"],
        email=data["contact"]["email"],
        phone=data["contact"]["phone"],
        page=data["page"],
        user=request.user,
        company=request.company,
    )
    messages.success(
        request, _("Thank you! A manager will contact you during working hours.")
    )
    return redirect(data["page"] or "/")
