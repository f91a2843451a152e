"""The organisation tree kept up by the performance team: add a unit, move it from a date, retire it.

Each change goes through ``divisions.services.org``, which keeps the tree's rules and audits the change; a
refusal is shown in words and nothing is written.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from divisions.models import Level, OrgUnit
from divisions.services.org import add_org_unit, move_org_unit, retire_org_unit
from divisions.words import trust_words
from pmf.feedback import tell
from pmf.formatting import format_date
from pmf.permissions import can_change_organisation, require, signed_in

from ..forms.organisation import MoveForm, RetireForm, UnitForm
from ..selectors import organisation_tree


@require(can_change_organisation)
def organisation(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    words = trust_words()
    rows = [
        (unit, depth, unit.is_active_in(today), words.level(unit.level))
        for unit, depth in organisation_tree()
    ]
    return render(request, "trust_setup/organisation.html", {"rows": rows})


@require(can_change_organisation)
def unit_add(request: HttpRequest) -> HttpResponse:
    form = UnitForm(request.POST or None, words=trust_words(), today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def add() -> OrgUnit:
            return add_org_unit(
                actor=signed_in(request),
                code=data["code"],
                name=data["name"],
                level=form.level(),
                parent=data["parent"],
                active_from=data["active_from"],
            )

        if tell(request, add, done=lambda unit: f"{unit.name} ({unit.code}) added."):
            return redirect("setup-organisation")
    return render(request, "trust_setup/unit_form.html", {"form": form, "title": "Add a unit", "unit": None})


def _unit(code: str) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.select_related("parent").exclude(level=Level.TRUST), code=code)


@require(can_change_organisation)
def unit_move(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(code)
    form = MoveForm(request.POST or None, unit=unit, words=trust_words(), today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def move() -> object:
            return move_org_unit(
                actor=signed_in(request),
                unit=unit,
                new_parent=data["new_parent"],
                effective_from=data["effective_from"],
            )

        done = f"{unit.name} moves to {data['new_parent'].name} from {format_date(data['effective_from'])}."
        if tell(request, move, done=done):
            return redirect("setup-organisation")
    title = f"Move {unit.name}"
    return render(request, "trust_setup/unit_form.html", {"form": form, "title": title, "unit": unit})


@require(can_change_organisation)
def unit_retire(request: HttpRequest, code: str) -> HttpResponse:
    unit = _unit(code)
    form = RetireForm(request.POST or None, today=timezone.localdate())
    if request.method == "POST" and form.is_valid():
        last_day = form.cleaned_data["last_day"]

        def retire() -> OrgUnit:
            return retire_org_unit(actor=signed_in(request), unit=unit, last_day=last_day)

        if tell(request, retire, done=f"{unit.name} retired: its last day is {format_date(last_day)}."):
            return redirect("setup-organisation")
    title = f"Retire {unit.name}"
    return render(request, "trust_setup/unit_form.html", {"form": form, "title": title, "unit": unit})
