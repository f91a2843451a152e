from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "pipeline"
    verbose_name = "Publish pipeline"

    def ready(self) -> None:
        from kpis.signals import data_published, publish_requested

        from .services.queueing import owe_after_publish
        from .steps import missing_setup

        data_published.connect(owe_after_publish, dispatch_uid="pipeline-owe-after-publish")
        publish_requested.connect(missing_setup, dispatch_uid="pipeline-missing-setup")
