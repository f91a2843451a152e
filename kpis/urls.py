from django.urls import path

from .views import kpi, relationships, static, upload

urlpatterns = [
    path("js/plotly.min.js", static.plotly_js, name="plotly-js"),
    path("kpis/<str:code>/<str:unit_code>/", kpi.kpi_chart, name="kpi-chart"),
    path("relationships/", relationships.relationships, name="kpi-relationships"),
    path(
        "relationships/suggestions/", relationships.relationship_suggestions, name="relationship-suggestions"
    ),
    path("relationships/record/", relationships.relationship_decide, name="relationship-record"),
    path(
        "relationships/<str:lead_code>/<str:lag_code>/", relationships.relationship, name="kpi-relationship"
    ),
    path("uploads/", upload.upload_list, name="uploads"),
    path("uploads/template.csv", upload.upload_template, name="upload-template"),
    path("uploads/template.xlsx", upload.upload_template_xlsx, name="upload-template-xlsx"),
    path("uploads/<int:pk>/", upload.upload_detail, name="upload-detail"),
    path("uploads/<int:pk>/progress/", upload.upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/problems.csv", upload.upload_problems, name="upload-problems"),
    path("uploads/<int:pk>/confirm/", upload.upload_confirm, name="upload-confirm"),
    path("uploads/<int:pk>/publish/", upload.upload_publish, name="upload-publish"),
    path("uploads/<int:pk>/check-again/", upload.upload_recheck, name="upload-recheck"),
]
