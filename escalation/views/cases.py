"""Escalation cases: the list, raising one by hand, a case and the steps of its ladder."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from divisions.selectors import default_trust
from divisions.words import request_words
from kpis.unit_chart import unit_chart
from kpis.views.static import plotly_js_version
from pmf.feedback import tell
from pmf.models import User
from pmf.permissions import (
    Access,
    can_agree_plans,
    can_close_case,
    can_close_cases,
    can_decide_cases,
    can_escalate_cases,
    can_raise_cases,
    can_read_division_cases,
    can_read_every_case,
    can_read_triggers,
    internal_reader,
    request_access,
    require,
    signed_in,
)
from reviews.services.special_measures import current_special_measures

from .. import selectors
from ..forms import ActionPlanForm, DecisionForm, EscalateForm, NoteForm, RaiseCaseForm
from ..grouping import GROUPINGS, group_cases
from ..models import EscalationCase, Level
from ..services import ladder


@require(internal_reader)
def case_list(request: HttpRequest) -> HttpResponse:
    """The cases the person may see, of one status, related ones together: by unit and cause (the
    default), by KPI and cause, or as one list (``?group=none``)."""
    access = request_access(request)
    words = request_words(request)
    status = request.GET.get("status", "open")
    group = next((g for g in GROUPINGS if g == request.GET.get("group", "division")), None)
    cases = list(
        selectors.cases_for(access, status=status if status in EscalationCase.Status.values else None)
    )
    context = {
        "cases": cases,
        "groups": group_cases(cases, by=group, trust=words.trust) if group else None,
        "group": group or "none",
        "status": status,
        "statuses": EscalationCase.Status.choices,
        "all": can_read_every_case(access),
        "raise_form": RaiseCaseForm(words=words) if can_raise_cases(access) else None,
        "latest_month": selectors.latest_published_month(),
        "can_read_triggers": can_read_triggers(access),
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
    """A case: its facts, the KPI's chart for the case's unit, the evidence, the timeline and the steps the
    person may take."""
    case = _case_for(request, reference)
    access = request_access(request)
    is_open = case.status == EscalationCase.Status.OPEN
    unit = case.division or default_trust()
    context = {
        "case": case,
        "chart": unit_chart(case.kpi, unit) if case.kpi and unit else None,
        "fpec": selectors.fpec_committee(),
        "can_plan": can_agree_plans(access) and is_open and case.plan_agreed_on is None,
        "can_escalate": can_escalate_cases(access) and is_open and case.level == Level.PERFORMANCE_TEAM,
        "can_decide": can_decide_cases(access) and is_open and case.level != Level.PERFORMANCE_TEAM,
        "can_close": case.status != EscalationCase.Status.CLOSED
        and can_close_case(access, de_escalated=case.status == EscalationCase.Status.DE_ESCALATED),
        "plan_form": ActionPlanForm(),
        "escalate_form": EscalateForm(),
        "note_form": NoteForm(),
        "decision_form": DecisionForm(),
        "plotly_js_version": plotly_js_version(),
    }
    return render(request, "escalation/case_detail.html", context)


@dataclass(frozen=True)
class _Step:
    """A step of a case's ladder as a page posts it: the form it reads and the service it runs."""

    form: type[forms.Form]
    run: Callable[[EscalationCase, User, dict[str, Any]], object]


_STEPS = {
    "plan": _Step(
        ActionPlanForm,
        lambda case, actor, data: ladder.agree_action_plan(
            case=case, actor=actor, agreed_on=data["agreed_on"], plan=data["plan"]
        ),
    ),
    "escalate": _Step(
        EscalateForm,
        lambda case, actor, data: ladder.escalate_to_fpec(
            case=case, actor=actor, reason=data["note"], critical=data["critical"]
        ),
    ),
    "decide": _Step(
        DecisionForm,
        lambda case, actor, data: ladder.record_executive_decision(
            case=case,
            actor=actor,
            decision=data["decision"],
            note=data["note"],
            confirmed=data["confirmed"],
        ),
    ),
    "close": _Step(
        NoteForm, lambda case, actor, data: ladder.close_case(case=case, actor=actor, note=data["note"])
    ),
}


def _take_step(request: HttpRequest, reference: str, *, step: str) -> HttpResponse:
    """Run one step of the case's ladder from its posted form, and go back to the case saying how it went.

    Special measures are asked about first: the decision comes back as a confirmation page saying what
    they do, and only its own form (``confirmed``) applies them.
    """
    case = _case_for(request, reference)
    if step == "close" and not can_close_case(
        request_access(request), de_escalated=case.status == EscalationCase.Status.DE_ESCALATED
    ):
        raise PermissionDenied
    form = _STEPS[step].form(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in form.errors.items()))
        return redirect("escalation-case", reference=case.reference)
    data = form.cleaned_data
    special = step == "decide" and data["decision"] == EscalationCase.Decision.SPECIAL_MEASURES
    if special and not data["confirmed"] and case.division is not None:
        return _confirm_special_measures(request, case, form)
    actor = signed_in(request)
    tell(request, lambda: _STEPS[step].run(case, actor, data), done=f"Case {case.reference} updated.")
    return redirect("escalation-case", reference=case.reference)


def _confirm_special_measures(request: HttpRequest, case: EscalationCase, form: forms.Form) -> HttpResponse:
    """What special measures will do to the case's division, with the decision to confirm or take back."""
    context = {
        "case": case,
        "note": form.cleaned_data["note"],
        "already": current_special_measures(case.division) if case.division else None,
    }
    return render(request, "escalation/confirm_special_measures.html", context)


def _step_view(step: str, test: Callable[[Access], bool]) -> Callable[..., HttpResponseBase]:
    """The view that posts ``step``, for those ``test`` lets in (signed out: to sign in; others: 403)."""

    @require_POST
    @require(test)
    def view(request: HttpRequest, reference: str) -> HttpResponse:
        return _take_step(request, reference, step=step)

    return view


agree_plan = _step_view("plan", can_agree_plans)
escalate = _step_view("escalate", can_escalate_cases)
decide = _step_view("decide", can_decide_cases)
# Executives close any case; the performance team only one that has de-escalated (checked on the case).
close = _step_view("close", can_close_cases)
