from django.urls import path

from .views import cases, committees, data_quality, exception_report, triggers

urlpatterns = [
    path("escalation/", cases.case_list, name="escalation-cases"),
    path("escalation/raise/", cases.raise_case, name="escalation-raise"),
    path("escalation/cases/<slug:reference>/", cases.case_detail, name="escalation-case"),
    path("escalation/cases/<slug:reference>/plan/", cases.agree_plan, name="escalation-agree-plan"),
    path("escalation/cases/<slug:reference>/fpec/", cases.escalate, name="escalation-escalate"),
    path("escalation/cases/<slug:reference>/decision/", cases.decide, name="escalation-decide"),
    path("escalation/cases/<slug:reference>/close/", cases.close, name="escalation-close"),
    path("escalation/triggers/", triggers.trigger_list, name="escalation-triggers"),
    path("escalation/triggers/<str:code>/", triggers.trigger_edit, name="escalation-trigger"),
    path("committees/", committees.committee_list, name="committees"),
    path("committees/<slug:code>/", committees.committee_detail, name="committee"),
    path("exceptions/", exception_report.exception_report, name="exception-report"),
    path("exceptions/report.pdf", exception_report.exception_report_pdf, name="exception-report-pdf"),
    path("exceptions/report.csv", exception_report.exception_report_csv, name="exception-report-csv"),
    path("data-quality/", data_quality.dq_issue_list, name="dq-issues"),
    path("data-quality/raise/", data_quality.dq_raise, name="dq-raise"),
    path("data-quality/<int:pk>/", data_quality.dq_update, name="dq-update"),
]
