"""Public endpoints of the content app (/leads/)."""

from django.urls import path

from content import views

app_name = "content"

urlpatterns = [path("", views.lead, name="lead")]
