"""Business registration, login, logout and company switching (before Oscar's
accounts URLs, so /accounts/login/, /accounts/logout/ and /accounts/register/ are
ours)."""

from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.logout, name="logout"),
    path("register/", views.register, name="register"),
    path("register/done/", views.register_done, name="register-done"),
    path("switch-company/", views.switch_company, name="switch-company"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
