"""The "Companies" section of Oscar's dashboard (/dashboard/companies/)."""

from django.urls import path

from accounts import dashboard_views as views

app_name = "dashboard-companies"

urlpatterns = [
    path("", views.company_list, name="list"),
    path("<int:pk>/", views.company_detail, name="detail"),
    path("<int:pk>/approve/", views.company_approve, name="approve"),
    path("<int:pk>/reject/", views.company_reject, name="reject"),
    path("<int:pk>/block/", views.company_block, name="block"),
    path("<int:pk>/manager/", views.company_manager, name="manager"),
]
