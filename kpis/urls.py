from django.urls import path

from . import views, views_static

urlpatterns = [
    path("js/plotly.min.js", views_static.plotly_js, name="plotly-js"),
    path("kpis/<str:code>/<str:unit_code>/", views.kpi_chart, name="kpi-chart"),
]
