from django.apps import AppConfig


class RoofConfig(AppConfig):
    name = "roof"
    verbose_name = "Site"
