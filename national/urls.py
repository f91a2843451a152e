from django.urls import path

from . import views_benchmarking, views_import

urlpatterns: list = [
    path("national/import/", views_import.national_import, name="national-import"),
    path("benchmarking/", views_benchmarking.benchmarking, name="benchmarking"),
]
