default_app_config = "out.basket.apps.BasketConfig"
