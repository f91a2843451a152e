"""A year's targets and trajectories entered as a grid: a KPI (or a domain) × units × twelve months.

The page reads in a fixed number of queries however many units and KPIs it shows; a save reads every cell
first and writes nothing unless all of them read.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from divisions.words import request_words
from kpis.models import Target
from kpis.services.plan_grid import opening_targets, save_plan_grid, year_trajectories
from pmf.feedback import tell
from pmf.formatting import format_month
from pmf.periods import FinancialYear
from pmf.permissions import can_maintain_catalogue, require, signed_in

from ..forms.plans import GridChoiceForm, grid_lines, posted_lines, read_lines


@require(can_maintain_catalogue)
def plan_grid(request: HttpRequest) -> HttpResponse:
    """Choose what to plan; then show the grid, prefilled from what exists, and save it on a post."""
    year_now = FinancialYear.containing(date.today())
    choice = GridChoiceForm(
        request.GET or None, initial={"year": year_now.label}, words=request_words(request)
    )
    context: dict[str, object] = {"choice": choice, "set_by_choices": Target.SetBy.choices}
    if not request.GET or not choice.is_valid():
        return render(request, "trust_setup/catalogue/plan_grid.html", context)

    year: FinancialYear = choice.cleaned_data["year"]
    kpis, units = choice.kpis(), list(choice.units())
    if request.method == "POST":
        lines = posted_lines(request.POST, kpis, units, year)
        rows = read_lines(lines, year)
        bad = sum(len(line.errors) for line in lines)
        if not bad:
            saved = tell(
                request,
                lambda: save_plan_grid(actor=signed_in(request), financial_year=year.label, rows=rows),
                done=lambda changes: (
                    f"Saved the {year.label} plans: {changes.added} added, "
                    f"{changes.changed} changed, {changes.removed} removed."
                ),
            )
            if saved:
                return redirect(request.get_full_path())
        else:
            messages.error(request, f"{bad} cell(s) could not be read, each marked below: nothing was saved.")
    else:
        lines = grid_lines(
            kpis, units, year, opening_targets(kpis, year), year_trajectories(kpis, units, year)
        )
    context |= {
        "lines": lines,
        "year": year,
        "months": [format_month(month) for month in year.months],
        "kpis": kpis,
        "units": units,
    }
    return render(request, "trust_setup/catalogue/plan_grid.html", context)
