from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "pipeline"
    verbose_name = "Publish pipeline"

    def ready(self) -> None:
        from kpis.signals import data_published

        from .services import owe_after_publish

        data_published.connect(owe_after_publish, dispatch_uid="pipeline-owe-after-publish")
