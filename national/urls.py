from django.urls import path

from . import views_import

urlpatterns: list = [
    path("national/import/", views_import.national_import, name="national-import"),
]
