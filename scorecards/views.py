"""Individual scorecards: "My scorecard", "My team's scorecards", a person's scorecard, setting objectives and
recording progress on them, and who line-manages whom. Thin views over ``scorecards.selectors`` and
``scorecards.services``; the rules are ``pmf.permissions``'s (``can_read_scorecard`` and its siblings)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from pmf.feedback import tell
from pmf.models import User
from pmf.periods import FinancialYear
from pmf.permissions import (
    Access,
    can_edit_scorecard,
    can_keep_scorecards,
    can_manage_line_management,
    can_read_scorecard,
    request_access,
    require,
    signed_in,
)

from .forms import LineManagerForm, ObjectiveForm, ProgressForm
from .models import Objective
from .selectors import latest_year, line_management, manages, scorecard, team, this_year
from .services.line_management import set_line_manager
from .services.objectives import record_progress, save_objective


def _year(request: HttpRequest, person: User | None = None) -> int:
    """The year asked for (``?year=2025`` for 2025/26); by default this year, or for a person with no
    objectives this year the latest year they have objectives for (a new year's are set after the PDR)."""
    text = request.GET.get("year", "")
    if not text:
        return this_year() if person is None else latest_year(person)
    if not text.isdigit() or not 2000 <= int(text) <= 2100:
        raise Http404("A year is written as the year it starts, e.g. 2025 for 2025/26.")
    return int(text)


def _may(request: HttpRequest, person: User) -> tuple[Access, bool, bool]:
    """The viewer's access, whether the scorecard is their own and whether they line-manage its person."""
    viewer = signed_in(request)
    is_own = viewer.pk == person.pk
    return request_access(request), is_own, not is_own and manages(viewer, person)


def _page(request: HttpRequest, person: User, year: int) -> HttpResponse:
    access, is_own, is_line_manager = _may(request, person)
    if not can_read_scorecard(access, is_own=is_own, is_line_manager=is_line_manager):
        raise PermissionDenied
    card = scorecard(person, year)
    context = {
        "card": card,
        # each row's progress form labels its own fields (one id per objective)
        "rows": [(row, ProgressForm(auto_id=f"progress-{row.objective.pk}-%s")) for row in card.rows],
        "is_own": is_own,
        "can_edit": can_edit_scorecard(access, is_own=is_own, is_line_manager=is_line_manager),
        "previous_year": year - 1,
        "next_year": year + 1,
    }
    return render(request, "scorecards/scorecard.html", context)


@require(can_keep_scorecards)
def my_scorecard(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own objectives for the year."""
    person = signed_in(request)
    return _page(request, person, _year(request, person))


@require(can_keep_scorecards)
def person_scorecard(request: HttpRequest, username: str) -> HttpResponse:
    """A person's scorecard: the person, their line manager and the performance team; 403 for anyone else."""
    person = get_object_or_404(User, username=username)
    return _page(request, person, _year(request, person))


@require(can_keep_scorecards)
def team_scorecards(request: HttpRequest) -> HttpResponse:
    """The people the signed-in person line-manages, with how their objectives stand."""
    year = _year(request)
    context = {
        "members": team(signed_in(request), year),
        "year": year,
        "year_label": FinancialYear(year).label,
    }
    return render(request, "scorecards/team.html", context)


def _editable(request: HttpRequest, person: User) -> None:
    access, is_own, is_line_manager = _may(request, person)
    if not can_edit_scorecard(access, is_own=is_own, is_line_manager=is_line_manager):
        raise PermissionDenied


def _objective_form(
    request: HttpRequest, person: User, year: int, objective: Objective | None
) -> HttpResponse:
    initial = {}
    if objective is not None:
        initial = {
            f: getattr(objective, f) for f in ("title", "detail", "kpi", "priority", "action", "due_date")
        }
    form = ObjectiveForm(request.POST or None, initial=initial, year=year)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def save() -> Objective:
            return save_objective(
                actor=signed_in(request),
                person=person,
                year=year,
                title=data["title"],
                detail=data["detail"],
                kpi=data["kpi"],
                priority=data["priority"],
                action=data["action"],
                due_date=data["due_date"],
                objective=objective,
            )

        if tell(request, save, done=lambda saved: f"Objective “{saved.title}” saved."):
            return redirect(f"{_scorecard_url(request, person)}?year={year}")
    context = {
        "form": form,
        "person": person,
        "objective": objective,
        "year_label": FinancialYear(year).label,
    }
    return render(request, "scorecards/objective_form.html", context)


def _scorecard_url(request: HttpRequest, person: User) -> str:
    if person.pk == signed_in(request).pk:
        return reverse("my-scorecard")
    return reverse("person-scorecard", args=[person.username])


@require(can_keep_scorecards)
def objective_add(request: HttpRequest, username: str) -> HttpResponse:
    """A new objective for a person and year: the person or their line manager."""
    person = get_object_or_404(User, username=username)
    _editable(request, person)
    return _objective_form(request, person, _year(request), None)


@require(can_keep_scorecards)
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an objective: the person or their line manager."""
    objective = get_object_or_404(Objective.objects.select_related("person"), pk=pk)
    _editable(request, objective.person)
    return _objective_form(request, objective.person, objective.year, objective)


@require_POST
@require(can_keep_scorecards)
def objective_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Record progress on an objective: the person or their line manager."""
    objective = get_object_or_404(Objective.objects.select_related("person"), pk=pk)
    _editable(request, objective.person)
    form = ProgressForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        tell(
            request,
            lambda: record_progress(
                actor=signed_in(request),
                objective=objective,
                status=data["status"],
                percent_complete=data["percent_complete"],
                note=data["note"],
            ),
            done=f"Progress on “{objective.title}” recorded.",
        )
    else:
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
    return redirect(
        f"{_scorecard_url(request, objective.person)}?year={objective.year}#objective-{objective.pk}"
    )


@require(can_manage_line_management)
def line_managers(request: HttpRequest) -> HttpResponse:
    """Who line-manages whom (the performance team): the list, and a form to set or clear one."""
    form = LineManagerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        person, manager = form.cleaned_data["person"], form.cleaned_data["manager"]
        done = f"{person} now reports to {manager}." if manager else f"Nobody line-manages {person} now."
        if tell(
            request,
            lambda: set_line_manager(actor=signed_in(request), person=person, manager=manager),
            done=done,
        ):
            return redirect("line-managers")
    return render(request, "scorecards/line_managers.html", {"form": form, "rows": list(line_management())})
