from django.urls import path

from . import views

urlpatterns = [
    path("pipeline/", views.pipeline_runs, name="pipeline-runs"),
    path("pipeline/<int:pk>/owe-again/", views.pipeline_owe_again, name="pipeline-owe-again"),
]
