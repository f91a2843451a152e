from django.apps import AppConfig


class PmfConfig(AppConfig):
    name = "pmf"
    verbose_name = "Core"
