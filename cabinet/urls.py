"""Customer cabinet URLs (/cabinet/). Each feature package has its own patterns."""

from django.urls import include, path

from cabinet import views

app_name = "cabinet"

urlpatterns = [
    path("", views.home, name="home"),
    path("manager/message/", views.manager_message, name="manager-message"),
    path("orders/", include("cabinet.orders.urls")),
    path("quick-order/", include("cabinet.quickorder.urls")),
    path("lists/", include("cabinet.lists.urls")),
    path("invoices/", include("cabinet.invoices.urls")),
    path("documents/", include("cabinet.documents.urls")),
    path("team/", include("cabinet.team.urls")),
    path("api-tokens/", include("cabinet.apitokens.urls")),
    path("webhooks/", include("cabinet.webhooks.urls")),
    path("profile/", include("cabinet.profile.urls")),
    path("approvals/", include("cabinet.approvals.urls")),
    path("reservations/", include("cabinet.reservations.urls")),
    path("serials/", include("cabinet.serials.urls")),
]
