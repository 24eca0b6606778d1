"""Views of Oscar's catalogue dashboard whose ids or paging came unchecked from the
request; every other view is Oscar's (`get_class` falls back to it)."""

from django.http import Http404, JsonResponse
from oscar.apps.dashboard.catalogue import views as oscar_views


class NumericPkMixin:
    """Oscar routes these ids as `<str:pk>`; anything but a number is no object."""

    def get_object(self, queryset=None):
        if not str(self.kwargs.get("pk", "")).isdigit():
            raise Http404("No such object.")
        return super().get_object(queryset)


class OptionUpdateView(NumericPkMixin, oscar_views.OptionUpdateView):
    pass


class OptionDeleteView(NumericPkMixin, oscar_views.OptionDeleteView):
    pass


class AttributeOptionGroupUpdateView(
    NumericPkMixin, oscar_views.AttributeOptionGroupUpdateView
):
    pass


class AttributeOptionGroupDeleteView(
    NumericPkMixin, oscar_views.AttributeOptionGroupDeleteView
):
    pass


def _ids(value: str) -> bool:
    return all(part.strip().isdigit() for part in value.split(","))


class ProductLookupView(oscar_views.ProductLookupView):
    def get(self, request):
        page, limit = request.GET.get("page", "1"), request.GET.get("page_limit", "20")
        initial = request.GET.get("initial") or ""
        if not (page.isdigit() and limit.isdigit() and int(page) >= 1):
            return JsonResponse(
                {"detail": "page and page_limit are numbers."}, status=400
            )
        if initial and not _ids(initial):
            return JsonResponse({"detail": "initial is a list of ids."}, status=400)
        return super().get(request)
