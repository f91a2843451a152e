from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demonstration trusts (United Lincolnshire Hospitals, Yorkshire Ambulance Service): their loaders,
    built from NHS England's published files, and the ``load_demo`` and ``build_demo_fixtures`` commands."""

    name = "demo"
    verbose_name = "Demonstration trusts"
