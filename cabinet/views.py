"""The customer cabinet: views over the apps below it; nothing imports this module."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "cabinet/home.html", {"membership": request.membership})
