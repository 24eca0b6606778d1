default_app_config = "out.order.apps.OrderConfig"
