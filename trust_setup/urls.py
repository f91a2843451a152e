from django.urls import path

from .views import workbook

urlpatterns: list = [
    # The setup workbook: download, upload, preview, apply.
    path("setup/workbook/", workbook.workbook, name="setup-workbook"),
    path("setup/workbook/setup.xlsx", workbook.workbook_download, name="setup-workbook-download"),
    path("setup/workbook/template.xlsx", workbook.workbook_template, name="setup-workbook-template"),
    path("setup/workbook/<int:pk>/", workbook.workbook_import, name="setup-workbook-import"),
    path("setup/workbook/<int:pk>/apply/", workbook.workbook_apply, name="setup-workbook-apply"),
]
