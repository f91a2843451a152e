from django.urls import path

from . import views

urlpatterns = [
    path("divisions/<str:code>/dashboard/", views.dashboard, name="division-dashboard"),
    path(
        "divisions/<str:code>/dashboard/commentary/<str:kpi_code>/<str:month>/",
        views.commentary,
        name="division-commentary",
    ),
]
