"""The data-quality issue log: the list, raising an issue and updating one."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from divisions.models import OrgUnit
from kpis.models import Kpi
from pmf.feedback import tell
from pmf.periods import parse_month
from pmf.permissions import can_edit_dq_log, can_read_dq_log, request_access, require, signed_in

from .. import selectors
from ..forms import RaiseIssueForm, UpdateIssueForm
from ..models import DataQualityIssue
from ..services import data_quality


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
