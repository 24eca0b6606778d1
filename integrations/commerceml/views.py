"""The door 1C calls: `/exchange/1c/?type=catalog|sale&mode=...` (CSRF-exempt: 1C
signs in with HTTP Basic and then carries the session cookie it was given)."""

from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from integrations.commerceml.protocol import exchange_answer


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def exchange(request):
    answer = exchange_answer(request)
    return HttpResponse(
        answer.body, status=answer.status, content_type=answer.content_type
    )
