"""Pricing API: GET /api/v1/prices/explain — which rule produced a price (staff only)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from ninja import Router

from accounts.models import Company
from catalog.pricing.selectors import price_explain, product_by_article
from core.api import ApiCaller, ApiError, api_error

router = Router(tags=["catalogue"])


def _int(text: str | None) -> int | None:
    try:
        return int(text) if text not in (None, "") else None
    except ValueError:
        return -1


@router.get(
    "prices/explain",
    url_name="price-explain",
    auth=ApiCaller(),
    response={200: dict, 400: ApiError, 401: ApiError, 403: ApiError, 404: ApiError},
    summary="Which pricing rule produced a price (staff only)",
)
def price_explain_view(
    request,
    product: str | None = None,
    company: str | None = None,
    quantity: str | None = None,
):
    if not request.user.is_staff:
        return api_error(_("Only staff may see how prices are produced."), 403)
    company_id, quantity = (
        _int(request.GET.get("company")),
        _int(request.GET.get("quantity")),
    )
    if company_id == -1 or (quantity is not None and quantity < 1):
        return api_error(
            _("company must be an id and quantity a number of 1 or more."), 400
        )
    if not request.GET.get("product"):
        return api_error(_("Give the product's article: ?product=<article>."), 400)
    company = None
    if company_id is not None:
        company = Company.objects.filter(pk=company_id).first()
        if company is None:
            return api_error(_("No company with id %(id)s.") % {"id": company_id}, 404)
    product = product_by_article(article=request.GET["product"])
    if product is None:
        return api_error(
            _("No product with article %(article)s.")
            % {"article": request.GET["product"]},
            404,
        )
    explanation = price_explain(
        company=company, product=product, quantity=quantity or 1
    )
    return JsonResponse(explanation.as_dict())
