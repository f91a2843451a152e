from django.urls import path, register_converter

from pmf.periods import parse_month

from . import views


class MonthConverter:
    """``2025-07`` in a URL, the first of July 2025 in the view."""

    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str):  # type: ignore[no-untyped-def]
        return parse_month(value)

    def to_url(self, value) -> str:  # type: ignore[no-untyped-def]
        return value if isinstance(value, str) else f"{value:%Y-%m}"


register_converter(MonthConverter, "yyyymm")

urlpatterns = [
    path("ipr/", views.ipr_latest, name="ipr-latest"),
    path("ipr/archive/", views.ipr_archive, name="ipr-archive"),
    path("ipr/<yyyymm:month>/", views.ipr, name="ipr"),
    path("ipr/<yyyymm:month>/commentary/<str:code>/", views.ipr_commentary, name="ipr-commentary"),
    path("ipr/<yyyymm:month>/matrix/", views.ipr_matrix, name="ipr-matrix"),
    path("ipr/<yyyymm:month>/exceptions/", views.ipr_exceptions, name="ipr-exceptions"),
    path("ipr/<yyyymm:month>/draft/", views.ipr_save, name="ipr-save"),
    path("ipr/<yyyymm:month>/approve/", views.ipr_approve, name="ipr-approve"),
    path("ipr/<yyyymm:month>/publish/", views.ipr_publish, name="ipr-publish"),
    path("ipr/<yyyymm:month>/board-pack/build/", views.ipr_build_pack, name="ipr-build-pack"),
    path("ipr/<yyyymm:month>/board-pack.pdf", views.ipr_pack, name="ipr-pack"),
    path("public/ipr/", views.public_ipr, name="public-ipr"),
]
