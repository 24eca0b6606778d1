"""API root: lists what the API offers."""

from django.http import JsonResponse
from django.urls import reverse


def index(request):
    return JsonResponse(
        {
            "version": 1,
            "endpoints": {
                "search": reverse("api:search"),
                "lookup": reverse("api:lookup"),
            },
        }
    )
