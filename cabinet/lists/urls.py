"""Purchase list pages (/cabinet/lists/), named under the `cabinet` namespace."""

from django.urls import path

from cabinet.lists import transfer, views

urlpatterns = [
    path("", views.list_index, name="list-index"),
    path("new/", views.list_create, name="list-create"),
    path("add/", transfer.list_add_items, name="list-add-items"),
    path("<int:pk>/", views.list_detail, name="list-detail"),
    path("<int:pk>/rename/", views.list_rename, name="list-rename"),
    path("<int:pk>/delete/", views.list_delete, name="list-delete"),
    path("<int:pk>/lines/", views.list_update, name="list-update"),
    path("<int:pk>/lines/remove/", views.list_remove, name="list-remove"),
    path("<int:pk>/lines/add/", views.list_add_article, name="list-add-article"),
    path("<int:pk>/order/", transfer.list_order, name="list-order"),
    path("<int:pk>/export.<str:fmt>", transfer.list_export, name="list-export"),
    path("<int:pk>/import/", transfer.list_import, name="list-import"),
]
