"""Catalogue browsing, category and search pages on the search backend; autocomplete."""

from django.http import (
    Http404,
    HttpResponsePermanentRedirect,
    JsonResponse,
    QueryDict,
)
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.encoding import escape_uri_path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import TemplateView

from catalog.models import Category
from search.backends.base import MAX_PER_PAGE
from search.fragments import LISTING_VIEWS, listing_view, result_list_html
from search.selectors import (
    autocomplete_suggestions,
    close_numbers,
    listing_parts,
    parse_search_request,
    result_rows,
    run_search,
    sales_contact,
)

MATCHED_ON_LABELS = {
    "article": gettext_lazy("Article"),
    "manufacturer_article": gettext_lazy("Manufacturer's part number"),
    "cross_reference": gettext_lazy("Cross-reference"),
    "company_part_number": gettext_lazy("Your part number"),
    "article_prefix": gettext_lazy("Article begins with the number"),
    "name": gettext_lazy("Name or description"),
}
SORT_LABELS = {
    "relevance": gettext_lazy("Relevance"),
    "name": gettext_lazy("Name"),
    "article": gettext_lazy("Article"),
    # By the public list price, the same for every viewer (not the viewer's own).
    "price": gettext_lazy("List price: low to high"),
    "price_desc": gettext_lazy("List price: high to low"),
    "availability": gettext_lazy("In stock first"),
}


def _url(params, **changes) -> str:
    query = params.copy()
    query.pop("page", None)
    query.pop("view", None)  # the layout is remembered, not carried in links
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query.setlist(key, value if isinstance(value, list) else [value])
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


def facet_groups(*, params, facets) -> list[dict]:
    groups = []
    names = {"category": _("Category"), "manufacturer": _("Manufacturer")}
    for name in ("category", "manufacturer"):
        selected = params.getlist(name)
        items = []
        for item in facets.get(name, []):
            active = item["value"] in selected
            values = (
                [v for v in selected if v != item["value"]]
                if active
                else [*selected, item["value"]]
            )
            items.append(
                {
                    **item,
                    "active": active,
                    "url": _url(params, **{name: values or None}),
                }
            )
        if items:
            groups.append({"name": names[name], "items": items})
    in_stock = facets.get("in_stock", [])
    active = params.get("in_stock") == "1"
    if in_stock or active:
        groups.append(
            {
                "name": _("Availability"),
                "items": [
                    {
                        "label": _("In stock"),
                        "count": in_stock[0]["count"] if in_stock else 0,
                        "active": active,
                        "url": _url(params, in_stock=None if active else "1"),
                    }
                ],
            }
        )
    return groups


class SearchPageView(TemplateView):
    """A page of products from the search backend, with facets, sorting and pages."""

    template_name = "oscar/search/results.html"
    category = None

    def get_context_data(self, **kwargs):
        request = self.request
        search_request = parse_search_request(
            params=request.GET, category=self.category
        )
        company = request.company
        result = run_search(
            search_request=search_request,
            company=company,
            per_page=MAX_PER_PAGE,
        )

        def rows():
            found = result_rows(request=request, hits=result.hits)
            for row in found:
                row.matched_label = MATCHED_ON_LABELS.get(row.matched_on, "")
            return found

        params = request.GET
        page = result.page
        layout = listing_view(request)
        return super().get_context_data(
            query=search_request.query,
            result=result,
            result_list=result_list_html(
                request=request,
                listing=listing_parts(search_request, MAX_PER_PAGE),
                rows=rows,
            ),
            category=self.category,
            listing_views=[
                {"value": v, "url": _url(params, view=v), "active": v == layout}
                for v in LISTING_VIEWS
            ],
            facet_groups=facet_groups(params=params, facets=result.facets),
            sort=search_request.sort,
            sort_options=[
                {
                    "value": v,
                    "label": label,
                    "url": _url(params, sort=v),
                    "active": v == search_request.sort,
                }
                for v, label in SORT_LABELS.items()
            ],
            previous_url=_url(params, page=str(page - 1)) if page > 1 else "",
            next_url=_url(params, page=str(page + 1))
            if page < result.num_pages
            else "",
            close_numbers=(
                close_numbers(query=search_request.query)
                if not result.count or result.corrected
                else []
            ),
            sales_contact=None if result.count else sales_contact(company=company),
            request_url=_request_url(request) if not result.count else "",
            **kwargs,
        )


def _request_url(request) -> str:
    """The request form (a commercial proposal), told which search found nothing."""
    query = QueryDict(mutable=True)
    query.update({"kind": "proposal", "page": request.get_full_path()[:255]})
    return f"{reverse('content:lead')}?{query.urlencode()}"


class CatalogueView(SearchPageView):
    template_name = "oscar/catalogue/browse.html"


class ProductCategoryView(SearchPageView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is None:
            raise Http404
        self.category = get_object_or_404(Category, pk=pk)
        expected = self.category.get_absolute_url()
        if escape_uri_path(request.path) != expected:
            # An old or mistyped slug: the category is found by its pk, and search
            # engines move to its own URL.
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                f"{expected}?{query}" if query else expected
            )
        return super().get(request, *args, **kwargs)


class FacetedSearchView(SearchPageView):
    template_name = "oscar/search/results.html"


def autocomplete(request):
    """Up to ten suggestions for the header search box: {"suggestions": [...]}."""
    suggestions = autocomplete_suggestions(
        request=request, query=request.GET.get("q", "")
    )
    count = len(suggestions)
    return JsonResponse(
        {
            "suggestions": suggestions,
            # For screen readers: the list's name and what was found.
            "label": _("Suggestions"),
            "status": ngettext(
                "%(count)d suggestion, use the arrow keys to choose",
                "%(count)d suggestions, use the arrow keys to choose",
                count,
            )
            % {"count": count}
            if count
            else "",
        }
    )
