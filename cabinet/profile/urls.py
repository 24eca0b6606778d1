"""The person's profile (/cabinet/profile/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.profile import views

urlpatterns = [
    path("", views.profile, name="profile"),
    path("password/", views.profile_password, name="profile-password"),
    path("notifications/", views.profile_notifications, name="profile-notifications"),
]
