"""A range's product reordering with its ids checked; the rest is Oscar's."""

from django.http import HttpResponseBadRequest
from oscar.apps.dashboard.ranges import views as oscar_views


class RangeReorderView(oscar_views.RangeReorderView):
    def post(self, request, pk):
        if not all(value.isdigit() for value in request.POST.getlist("product")):
            return HttpResponseBadRequest("Product ids are numbers.")
        return super().post(request, pk)
