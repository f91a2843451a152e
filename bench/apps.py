from django.apps import AppConfig


class BenchConfig(AppConfig):
    """The benchmarks (``make bench``) and the generated large trust they run on."""

    name = "bench"
    verbose_name = "Benchmarks"
