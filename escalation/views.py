"""Escalation pages: cases and their ladder, committee agendas, the exception report, the data-quality log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_POST

from divisions.models import OrgUnit
from divisions.words import request_words
from kpis.models import Kpi
from kpis.printing import html_to_pdf
from pmf.exports import csv_response
from pmf.feedback import tell
from pmf.formatting import format_value
from pmf.periods import parse_month
from pmf.permissions import (
    can_agree_plans,
    can_close_case,
    can_close_cases,
    can_decide_cases,
    can_edit_dq_log,
    can_escalate_cases,
    can_raise_cases,
    can_read_committees,
    can_read_division_cases,
    can_read_dq_log,
    can_read_every_case,
    can_read_exception_report,
    internal_reader,
    request_access,
    require,
    signed_in,
)

from . import selectors
from .forms import ActionPlanForm, DecisionForm, NoteForm, RaiseCaseForm, RaiseIssueForm, UpdateIssueForm
from .models import Committee, DataQualityIssue, EscalationCase, Level
from .services import data_quality, ladder

# --- cases --------------------------------------------------------------------------------------------------


@require(internal_reader)
def case_list(request: HttpRequest) -> HttpResponse:
    access = request_access(request)
    status = request.GET.get("status", "open")
    cases = list(
        selectors.cases_for(access, status=status if status in EscalationCase.Status.values else None)
    )
    context = {
        "cases": cases,
        "status": status,
        "statuses": EscalationCase.Status.choices,
        "all": can_read_every_case(access),
        "raise_form": RaiseCaseForm(words=request_words(request)) if can_raise_cases(access) else None,
        "latest_month": selectors.latest_published_month(),
    }
    return render(request, "escalation/case_list.html", context)


@require_POST
@require(can_raise_cases)
def raise_case(request: HttpRequest) -> HttpResponse:
    """Open a case by hand on the latest published month's data; a refused case writes nothing."""
    form = RaiseCaseForm(request.POST, words=request_words(request))
    month = selectors.latest_published_month()
    if month is None:
        messages.error(request, "No data is published yet: a case is raised on a published month's data.")
        return redirect("escalation-cases")
    if not form.is_valid():
        messages.error(request, " ".join(" ".join(map(str, errors)) for errors in form.errors.values()))
        return redirect("escalation-cases")
    try:
        case = ladder.raise_case(
            actor=signed_in(request),
            division=form.cleaned_data["division"],
            month=month,
            reason=form.cleaned_data["reason"],
            kpi=form.cleaned_data["kpi_code"],
            critical=form.cleaned_data["critical"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("escalation-cases")
    messages.success(request, f"Case {case.reference} raised.")
    return redirect("escalation-case", reference=case.reference)


def _case_for(request: HttpRequest, reference: str) -> EscalationCase:
    case = selectors.case_with_events(reference)
    if case is None:
        raise Http404("No such case")
    if not can_read_division_cases(request_access(request), case.division):
        raise PermissionDenied
    return case


@require(internal_reader)
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference)
    access = request_access(request)
    is_open = case.status == EscalationCase.Status.OPEN
    context = {
        "case": case,
        "can_plan": can_agree_plans(access) and is_open and case.plan_agreed_on is None,
        "can_escalate": can_escalate_cases(access) and is_open and case.level == Level.PERFORMANCE_TEAM,
        "can_decide": can_decide_cases(access) and is_open and case.level != Level.PERFORMANCE_TEAM,
        "can_close": case.status != EscalationCase.Status.CLOSED
        and can_close_case(access, de_escalated=case.status == EscalationCase.Status.DE_ESCALATED),
        "plan_form": ActionPlanForm(),
        "note_form": NoteForm(),
        "decision_form": DecisionForm(),
    }
    return render(request, "escalation/case_detail.html", context)


def _step(
    request: HttpRequest, reference: str, form_class: type, act: Callable[[EscalationCase, dict], object]
) -> HttpResponse:
    case = _case_for(request, reference)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect("escalation-case", reference=case.reference)
    tell(request, lambda: act(case, form.cleaned_data), done=f"Case {case.reference} updated.")
    return redirect("escalation-case", reference=case.reference)


@require_POST
@require(can_agree_plans)
def agree_plan(request: HttpRequest, reference: str) -> HttpResponse:
    return _step(
        request,
        reference,
        ActionPlanForm,
        lambda case, data: ladder.agree_action_plan(
            case=case, actor=signed_in(request), agreed_on=data["agreed_on"], plan=data["plan"]
        ),
    )


@require_POST
@require(can_escalate_cases)
def escalate(request: HttpRequest, reference: str) -> HttpResponse:
    return _step(
        request,
        reference,
        NoteForm,
        lambda case, data: ladder.escalate_to_fpec(case=case, actor=signed_in(request), reason=data["note"]),
    )


@require_POST
@require(can_decide_cases)
def decide(request: HttpRequest, reference: str) -> HttpResponse:
    return _step(
        request,
        reference,
        DecisionForm,
        lambda case, data: ladder.record_executive_decision(
            case=case,
            actor=signed_in(request),
            decision=data["decision"],
            note=data["note"],
        ),
    )


@require_POST
@require(can_close_cases)
def close(request: HttpRequest, reference: str) -> HttpResponse:
    case = _case_for(request, reference)
    de_escalated = case.status == EscalationCase.Status.DE_ESCALATED
    if not can_close_case(request_access(request), de_escalated=de_escalated):
        raise PermissionDenied
    return _step(
        request,
        reference,
        NoteForm,
        lambda case, data: ladder.close_case(case=case, actor=signed_in(request), note=data["note"]),
    )


# --- committees ---------------------------------------------------------------------------------------------


@require(can_read_committees)
def committee_list(request: HttpRequest) -> HttpResponse:
    return render(request, "escalation/committee_list.html", {"committees": Committee.objects.all()})


@require(can_read_committees)
def committee_detail(request: HttpRequest, code: str) -> HttpResponse:
    committee = get_object_or_404(Committee, code=code)
    agenda = selectors.committee_agenda(committee, today=date.today(), words=request_words(request))
    return render(request, "escalation/committee_detail.html", {"agenda": agenda})


# --- the contractual and CQUIN exception report -------------------------------------------------------------


def _report(request: HttpRequest) -> selectors.ExceptionReport:
    text = request.GET.get("month", "")
    try:
        month = parse_month(text) if text else selectors.latest_published_month()
    except ValueError as error:
        raise Http404(str(error)) from error
    if month is None:
        raise Http404("No published data yet")
    return selectors.exception_report(month)


@require(can_read_exception_report)
def exception_report(request: HttpRequest) -> HttpResponse:
    return render(request, "escalation/exception_report.html", {"report": _report(request)})


@require(can_read_exception_report)
def exception_report_pdf(request: HttpRequest) -> HttpResponse:
    report = _report(request)
    html = render_to_string("escalation/exception_report_print.html", {"report": report, "printing": True})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="contract-exceptions-{report.month:%Y-%m}.pdf"'
    return response


@require(can_read_exception_report)
def exception_report_csv(request: HttpRequest) -> HttpResponse:
    """The report for a spreadsheet: value and plan as numbers in the KPI's unit (named in their own column),
    so they can be summed and sorted, and beside them as the page writes them."""
    report = _report(request)
    header = [
        "month",
        "kpi_code",
        "kpi",
        "source",
        "unit",
        "value",
        "plan",
        "value_as_written",
        "plan_as_written",
        "outcome",
        "reason",
        "divisions_not_met",
    ]
    rows = [
        [
            f"{report.month:%Y-%m}",
            row.kpi.code,
            row.kpi.name,
            row.kpi.get_source_display(),
            row.kpi.get_unit_display(),
            row.value,
            row.plan,
            format_value(row.value, row.kpi.unit),
            format_value(row.plan, row.kpi.unit),
            str(row.outcome),
            row.reason,
            "; ".join(miss.division.name for miss in row.divisions_not_met),
        ]
        for row in report.rows
    ]
    return csv_response(filename=f"contract-exceptions-{report.month:%Y-%m}.csv", header=header, rows=rows)


# --- the data-quality issue log -----------------------------------------------------------------------------


@require(can_read_dq_log)
def dq_issue_list(request: HttpRequest) -> HttpResponse:
    context = {
        "issues": list(selectors.dq_issues()),
        "can_edit": can_edit_dq_log(request_access(request)),
        "raise_form": RaiseIssueForm(),
        "statuses": DataQualityIssue.Status.choices,
    }
    return render(request, "escalation/dq_issues.html", context)


@require_POST
@require(can_edit_dq_log)
def dq_raise(request: HttpRequest) -> HttpResponse:
    form = RaiseIssueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            data_quality.raise_issue(
                actor=signed_in(request),
                description=data["description"],
                owner=data["owner"],
                kpi=Kpi.objects.filter(code=data["kpi_code"]).first() if data["kpi_code"] else None,
                org_unit=OrgUnit.objects.filter(code=data["unit_code"]).first()
                if data["unit_code"]
                else None,
                month=parse_month(data["month"]) if data["month"] else None,
            )
        except (ValidationError, ValueError) as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "Data-quality issue raised.")
    else:
        messages.error(request, "Describe the issue.")
    return redirect("dq-issues")


@require_POST
@require(can_edit_dq_log)
def dq_update(request: HttpRequest, pk: int) -> HttpResponse:
    issue = get_object_or_404(DataQualityIssue, pk=pk)
    form = UpdateIssueForm(request.POST)
    if form.is_valid():
        tell(
            request,
            lambda: data_quality.update_issue(issue=issue, actor=signed_in(request), **form.cleaned_data),
            done=f"Issue {issue.pk} updated.",
        )
    return redirect("dq-issues")
