"""The Board's priorities: the year's list, a priority's page, setting priorities and milestones, the owner's
monthly update, and the quarterly Board update (page and PDF). Thin views over the selectors and services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from divisions.words import trust_words
from kpis.printing import html_to_pdf
from pmf.feedback import tell
from pmf.periods import FinancialYear, month_start, parse_month
from pmf.permissions import (
    can_manage_priorities,
    can_read_priorities,
    can_write_priority_update,
    request_access,
    require,
    signed_in,
)

from .forms import MilestoneForm, PriorityForm, PriorityUpdateForm
from .models import Milestone, Priority, PriorityUpdate
from .progress import Quarter
from .selectors import owner_due, priorities, priority_page, quarterly_update, year_rows, years
from .services.priorities import save_milestone, save_priority, write_update


def _saved(request: HttpRequest, form: Form, step: Callable[[dict[str, Any]], object], *, done: str) -> bool:
    """A posted form, valid, whose service ``step`` (given the cleaned data) was done; a refusal is shown."""
    return (
        request.method == "POST"
        and form.is_valid()
        and tell(request, lambda: step(form.cleaned_data), done=done)
    )


def _year(request: HttpRequest, today: date) -> int:
    """The year asked for, else the current financial year."""
    try:
        return FinancialYear.parse(request.GET.get("year", "")).start_year
    except ValueError:
        return FinancialYear.containing(today).start_year


@require(can_read_priorities)
def priority_list(request: HttpRequest) -> HttpResponse:
    """The Board's priorities for a financial year, with their latest status and milestones."""
    today = timezone.localdate()
    year = _year(request, today)
    return render(
        request,
        "strategy/priorities.html",
        {
            "year": FinancialYear(year),
            "years": [FinancialYear(y) for y in sorted({*years(), year}, reverse=True)],
            "rows": year_rows(year, today),
            "quarters": [Quarter(year, n) for n in (1, 2, 3, 4) if Quarter(year, n).first_day <= today],
            "can_manage": can_manage_priorities(request_access(request)),
        },
    )


@require(can_read_priorities)
def priority_detail(request: HttpRequest, pk: int) -> HttpResponse:
    today = timezone.localdate()
    page = priority_page(pk, today)
    if page is None:
        raise Http404("No such priority")
    access = request_access(request)
    return render(
        request,
        "strategy/priority.html",
        {
            "page": page,
            "p": page.priority,
            "year": FinancialYear(page.priority.year),
            "today": today,
            "can_manage": can_manage_priorities(access),
            "can_update": can_write_priority_update(
                access, is_owner=page.priority.owner_id == request.user.pk
            ),
        },
    )


@require(can_read_priorities)
def your_priorities(request: HttpRequest) -> HttpResponse:
    """Where a priority owner lands while something is owed: their overdue milestones and the monthly
    updates still to write, then every priority they own."""
    today = timezone.localdate()
    user = signed_in(request)
    return render(
        request,
        "strategy/your_priorities.html",
        {
            "due": owner_due(user, today),
            "owned": list(priorities().filter(owner=user).order_by("-year", "title")),
            "today": today,
        },
    )


def _priority_years(today: date) -> list[int]:
    current = FinancialYear.containing(today).start_year
    return sorted({current - 1, current, current + 1, *years()}, reverse=True)


@require(can_manage_priorities)
def priority_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new priority, or a change to one: the performance team and executives."""
    today = timezone.localdate()
    priority = get_object_or_404(Priority, pk=pk) if pk is not None else None
    initial: dict[str, object] = {"year": FinancialYear.containing(today).start_year}
    if priority is not None:
        initial = {
            "year": priority.year,
            "title": priority.title,
            "description": priority.description,
            "owner": priority.owner_id,
            "objectives": priority.objectives,
            "division": priority.division_id,
            "kpis": list(priority.kpis.values_list("pk", flat=True)),
            "actions": list(priority.actions.values_list("pk", flat=True)),
        }
    words = trust_words()
    form = PriorityForm(
        request.POST or None, initial=initial, years=_priority_years(today), division_word=words.division
    )
    saved: list[Priority] = []
    if _saved(
        request,
        form,
        lambda data: saved.append(save_priority(actor=signed_in(request), priority=priority, **data)),
        done="Priority saved.",
    ):
        return redirect("priority", pk=saved[0].pk)
    return render(request, "strategy/priority_form.html", {"form": form, "priority": priority})


@require(can_manage_priorities)
def milestone_edit(request: HttpRequest, pk: int, milestone_pk: int | None = None) -> HttpResponse:
    """A new milestone for a priority, or a change to one (its dates, its unit, marking it complete)."""
    priority = get_object_or_404(Priority, pk=pk)
    milestone = get_object_or_404(Milestone, pk=milestone_pk, priority=priority) if milestone_pk else None
    initial = {}
    if milestone is not None:
        initial = {
            "title": milestone.title,
            "due_date": milestone.due_date,
            "completed_on": milestone.completed_on,
            "org_unit": milestone.org_unit_id,
        }
    form = MilestoneForm(request.POST or None, initial=initial)
    if _saved(
        request,
        form,
        lambda data: save_milestone(actor=signed_in(request), priority=priority, milestone=milestone, **data),
        done="Milestone saved.",
    ):
        return redirect("priority", pk=priority.pk)
    return render(
        request, "strategy/milestone_form.html", {"form": form, "priority": priority, "milestone": milestone}
    )


@require(can_read_priorities)
def priority_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The owner's monthly update (status, narrative, evidence); the month's update is edited by writing it
    again. Its owner and the performance team write it; anyone else gets 403."""
    priority = get_object_or_404(Priority.objects.select_related("owner"), pk=pk)
    if not can_write_priority_update(request_access(request), is_owner=priority.owner_id == request.user.pk):
        raise PermissionDenied
    today = timezone.localdate()
    months = [m for m in FinancialYear(priority.year).months if m <= month_start(today)]
    if not months:
        raise Http404("The priority's year has not started")
    try:
        month = parse_month(request.GET["month"]) if "month" in request.GET else months[-1]
    except ValueError:
        month = months[-1]
    existing = PriorityUpdate.objects.filter(priority=priority, month=month).first()
    initial: dict[str, object] = {"month": f"{month:%Y-%m}"}
    if existing is not None:
        initial.update(status=existing.status, narrative=existing.narrative, evidence=existing.evidence)
    form = PriorityUpdateForm(request.POST or None, initial=initial, months=list(reversed(months)))
    if _saved(
        request,
        form,
        lambda data: write_update(actor=signed_in(request), priority=priority, today=today, **data),
        done="Update saved.",
    ):
        return redirect("priority", pk=priority.pk)
    return render(
        request,
        "strategy/priority_update.html",
        {"form": form, "priority": priority, "month": month, "existing": existing},
    )


def _quarter(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError:
        raise Http404("Give the quarter as YYYY-qN, e.g. 2025-q2") from None


@require(can_read_priorities)
def board_update(request: HttpRequest, quarter: str) -> HttpResponse:
    """The quarterly Board update on the year's priorities."""
    report = quarterly_update(_quarter(quarter), timezone.localdate())
    return render(request, "strategy/board_update.html", {"report": report, "printing": False})


@require(can_read_priorities)
def board_update_pdf(request: HttpRequest, quarter: str) -> HttpResponse:
    report = quarterly_update(_quarter(quarter), timezone.localdate())
    html = render_to_string(
        "strategy/board_update_pdf.html", {"report": report, "printing": True}, request=request
    )
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="board-priorities-{report.quarter.slug}.pdf"'
    return response
