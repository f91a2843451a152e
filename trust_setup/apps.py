from django.apps import AppConfig


class TrustSetupConfig(AppConfig):
    name = "trust_setup"
    verbose_name = "Trust setup"
