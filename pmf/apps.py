from django.apps import AppConfig


class PmfConfig(AppConfig):
    name = "pmf"
    verbose_name = "Core"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
