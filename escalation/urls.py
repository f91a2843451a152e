from django.urls import path

from . import views

urlpatterns = [
    path("escalation/", views.case_list, name="escalation-cases"),
    path("escalation/raise/", views.raise_case, name="escalation-raise"),
    path("escalation/cases/<slug:reference>/", views.case_detail, name="escalation-case"),
    path("escalation/cases/<slug:reference>/plan/", views.agree_plan, name="escalation-agree-plan"),
    path("escalation/cases/<slug:reference>/fpec/", views.escalate, name="escalation-escalate"),
    path("escalation/cases/<slug:reference>/decision/", views.decide, name="escalation-decide"),
    path("escalation/cases/<slug:reference>/close/", views.close, name="escalation-close"),
    path("committees/", views.committee_list, name="committees"),
    path("committees/<slug:code>/", views.committee_detail, name="committee"),
    path("exceptions/", views.exception_report, name="exception-report"),
    path("exceptions/report.pdf", views.exception_report_pdf, name="exception-report-pdf"),
    path("exceptions/report.csv", views.exception_report_csv, name="exception-report-csv"),
    path("data-quality/", views.dq_issue_list, name="dq-issues"),
    path("data-quality/raise/", views.dq_raise, name="dq-raise"),
    path("data-quality/<int:pk>/", views.dq_update, name="dq-update"),
]
