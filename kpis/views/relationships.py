"""Lead and lag: the relationships, a pair's lagged correlation at a unit, and the suggestion list."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from divisions.selectors import default_trust
from pmf.permissions import can_maintain_catalogue, internal_reader, request_access, require, signed_in

from ..models import Kpi, KpiRelationship
from ..relationships.chart import correlation_svg
from ..relationships.forms import RelationshipForm
from ..relationships.selectors import pair_correlation, relationship_list, suggestions, unit_choices
from ..relationships.services import record_relationship


@require(internal_reader)
def relationships(request: HttpRequest) -> HttpResponse:
    """Every recorded relationship; the performance team records a new one here."""
    can_manage = can_maintain_catalogue(request_access(request))
    return render(
        request,
        "kpis/relationships.html",
        {
            "relationships": relationship_list(),
            "can_manage": can_manage,
            "form": RelationshipForm(initial={"next": request.path}) if can_manage else None,
        },
    )


@require(internal_reader)
def relationship(request: HttpRequest, lead_code: str, lag_code: str) -> HttpResponse:
    """A pair's lagged correlation at the trust, or at a division chosen with ``?unit=``."""
    lead = get_object_or_404(Kpi, code=lead_code)
    lag = get_object_or_404(Kpi, code=lag_code)
    units = unit_choices()
    if not units:
        raise Http404("No trust is set up yet.")
    wanted = request.GET.get("unit")
    unit = next((u for u in units if u.code == wanted), None) if wanted else units[0]
    if unit is None:
        raise Http404("A relationship is read at the trust or one of its divisions.")
    pair = pair_correlation(lead, lag, unit, units)
    can_manage = can_maintain_catalogue(request_access(request))
    form = None
    if can_manage:
        held = pair.relationship
        form = RelationshipForm(
            initial={
                "lead": lead.code,
                "lag": lag.code,
                "delay_months": held.delay_months if held else (pair.best.lag if pair.best else 0),
                "rationale": held.rationale if held else "",
                "status": held.status if held else KpiRelationship.Status.ACCEPTED,
                "next": request.get_full_path(),
            }
        )
    return render(
        request,
        "kpis/relationship.html",
        {
            "pair": pair,
            "chart": correlation_svg(pair.correlations, label=f"{lead.name} and {lag.name}: r by lag"),
            "can_manage": can_manage,
            "form": form,
        },
    )


@require(can_maintain_catalogue)
def relationship_suggestions(request: HttpRequest) -> HttpResponse:
    """Strong lagged correlations at the trust, for the performance team to accept or reject."""
    found = suggestions(default_trust())
    return render(request, "kpis/relationship_suggestions.html", {"found": found, "next": request.path})


@require_POST
@require(can_maintain_catalogue)
def relationship_decide(request: HttpRequest) -> HttpResponse:
    """Record a relationship as accepted, suggested or rejected (from the list, a pair's page or a
    suggestion), then go back where the form was."""
    form = RelationshipForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            saved = record_relationship(
                actor=signed_in(request),
                lead=data["lead"],
                lag=data["lag"],
                delay_months=data["delay_months"],
                rationale=data["rationale"],
                status=data["status"],
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"{saved.lead.name} → {saved.lag.name}: {saved.get_status_display().lower()}."
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("kpi-relationships")
