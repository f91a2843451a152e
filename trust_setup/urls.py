from django.urls import path

from .views import catalogue, plans, reviews_config, workbook

urlpatterns: list = [
    # The catalogue, each year's suite, and the year's targets and trajectories.
    path("setup/kpis/", catalogue.kpi_list, name="setup-kpis"),
    path("setup/kpis/new/", catalogue.kpi_add, name="setup-kpi-add"),
    path("setup/kpis/<slug:code>/", catalogue.kpi_edit, name="setup-kpi"),
    path("setup/suites/", catalogue.suite_list, name="setup-suites"),
    path("setup/suites/copy/", catalogue.suite_copy, name="setup-suite-copy"),
    path("setup/suites/<str:year>/", catalogue.suite_detail, name="setup-suite"),
    path("setup/suites/<str:year>/approve/", catalogue.suite_approve, name="setup-suite-approve"),
    path("setup/plans/", plans.plan_grid, name="setup-plans"),
    # What ratings and PRMs are set up with.
    path("setup/reviews/", reviews_config.review_settings, name="setup-reviews"),
    path("setup/reviews/criteria/<slug:code>/", reviews_config.criterion_edit, name="setup-criterion"),
    path("setup/reviews/freedoms/new/", reviews_config.freedom_add, name="setup-freedom-add"),
    path("setup/reviews/freedoms/<int:pk>/", reviews_config.freedom_edit, name="setup-freedom"),
    path(
        "setup/reviews/freedoms/<int:pk>/remove/", reviews_config.freedom_remove, name="setup-freedom-remove"
    ),
    path("setup/reviews/committees/new/", reviews_config.committee_add, name="setup-committee-add"),
    path("setup/reviews/committees/<slug:code>/", reviews_config.committee_edit, name="setup-committee"),
    path("setup/reviews/terms/<slug:kind>/", reviews_config.terms_edit, name="setup-terms"),
    path("setup/reviews/prm-slot/", reviews_config.prm_slot_edit, name="setup-prm-slot"),
    # The setup workbook: download, upload, preview, apply.
    path("setup/workbook/", workbook.workbook, name="setup-workbook"),
    path("setup/workbook/setup.xlsx", workbook.workbook_download, name="setup-workbook-download"),
    path("setup/workbook/template.xlsx", workbook.workbook_template, name="setup-workbook-template"),
    path("setup/workbook/<int:pk>/", workbook.workbook_import, name="setup-workbook-import"),
    path("setup/workbook/<int:pk>/apply/", workbook.workbook_apply, name="setup-workbook-apply"),
]
