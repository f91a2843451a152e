from django.urls import path

from . import views, views_static, views_upload

urlpatterns = [
    path("js/plotly.min.js", views_static.plotly_js, name="plotly-js"),
    path("kpis/<str:code>/<str:unit_code>/", views.kpi_chart, name="kpi-chart"),
    path("uploads/", views_upload.upload_list, name="uploads"),
    path("uploads/template.csv", views_upload.upload_template, name="upload-template"),
    path("uploads/template.xlsx", views_upload.upload_template_xlsx, name="upload-template-xlsx"),
    path("uploads/<int:pk>/", views_upload.upload_detail, name="upload-detail"),
    path("uploads/<int:pk>/progress/", views_upload.upload_progress, name="upload-progress"),
    path("uploads/<int:pk>/problems.csv", views_upload.upload_problems, name="upload-problems"),
    path("uploads/<int:pk>/confirm/", views_upload.upload_confirm, name="upload-confirm"),
    path("uploads/<int:pk>/publish/", views_upload.upload_publish, name="upload-publish"),
    path("uploads/<int:pk>/check-again/", views_upload.upload_recheck, name="upload-recheck"),
]
