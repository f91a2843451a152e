from django.urls import path

from . import views_benchmarking, views_import, views_peer_groups

urlpatterns: list = [
    path("national/import/", views_import.national_import, name="national-import"),
    path("benchmarking/", views_benchmarking.benchmarking, name="benchmarking"),
    path("benchmarking/peer-groups/", views_peer_groups.peer_groups, name="peer-groups"),
]
