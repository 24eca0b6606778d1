import oscar.apps.basket.apps as apps
from django.urls import path


class BasketConfig(apps.BasketConfig):
    name = "sales.basket"

    def get_urls(self):
        from sales.basket.views import BasketClearView

        urls = super().get_urls()
        urls.append(path("clear/", BasketClearView.as_view(), name="clear"))
        return urls
