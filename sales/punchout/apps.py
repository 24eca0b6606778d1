from django.apps import AppConfig


class PunchoutConfig(AppConfig):
    name = "sales.punchout"
    label = "punchout"
    verbose_name = "Punchout"
