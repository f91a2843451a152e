"""Escalation cases: the list, raising one by hand, a case and the steps of its ladder."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divisions.words import request_words
from pmf.feedback import tell
from pmf.permissions import (
    can_agree_plans,
    can_close_case,
    can_close_cases,
    can_decide_cases,
    can_escalate_cases,
    can_raise_cases,
    can_read_division_cases,
    can_read_every_case,
    internal_reader,
    request_access,
    require,
    signed_in,
)

from .. import selectors
from ..forms import ActionPlanForm, DecisionForm, NoteForm, RaiseCaseForm
from ..models import EscalationCase, Level
from ..services import ladder


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
