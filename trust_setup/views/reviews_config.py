"""The review settings kept up by the performance team: rating criteria (and the KPIs each selects), the
scheme of delegation's freedoms, committees, terms of reference, the PRM slot and how often each position is
reviewed. Every change is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from divisions.words import trust_words
from escalation.models import Committee
from kpis.models import Kpi
from pmf.feedback import tell
from pmf.permissions import can_maintain_catalogue, require, signed_in
from pmf.services.records import delete_audited, save_form
from reviews.models import Criterion, Freedom, MeetingKind, TermsOfReference
from reviews.selectors import selects
from reviews.selectors.prm_slot import prm_slot, review_frequency_table
from reviews.services.meetings import terms_of_reference
from reviews.services.review_frequencies import change_prm_settings

from ..forms.reviews_config import (
    WEEKDAYS,
    WEEKS,
    CommitteeForm,
    CriterionForm,
    FreedomForm,
    PrmSlotForm,
    TermsOfReferenceForm,
)


@require(can_maintain_catalogue)
def review_settings(request: HttpRequest) -> HttpResponse:
    """Everything a rating and a PRM are set up with, on one page, each with where to change it."""
    criteria = list(Criterion.objects.select_related("domain", "tag"))
    kpis = list(Kpi.objects.prefetch_related("tags").order_by("code"))
    selected = {c.pk: [k for k in kpis if selects(c, k, {t.pk for t in k.tags.all()})] for c in criteria}
    slot, words = prm_slot(), trust_words()
    context = {
        "criteria": [(c, selected[c.pk]) for c in criteria],
        "freedoms": Freedom.objects.all(),
        "committees": Committee.objects.all(),
        "terms": [terms_of_reference(kind) for kind in MeetingKind.values],
        "slot": f"the {dict(WEEKS)[slot.week_of_month].lower()} {dict(WEEKDAYS)[slot.weekday]} of the month",
        "frequencies": [
            (position, words.position_name(int(position)), frequency)
            for position, frequency in sorted(review_frequency_table().items())
        ],
    }
    return render(request, "trust_setup/catalogue/review_settings.html", context)


def _edit(request: HttpRequest, form: ModelForm, *, title: str, what: str) -> HttpResponse:
    """Show ``form``; a valid post is saved and audited, then back to the review settings."""
    if request.method == "POST" and form.is_valid():
        saved: Model = save_form(form, actor=signed_in(request), note="edited on the review settings page")
        messages.success(request, f"{what} saved: {saved}.")
        return redirect("setup-reviews")
    return render(request, "trust_setup/catalogue/record_form.html", {"form": form, "title": title})


def _post(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


@require(can_maintain_catalogue)
def criterion_edit(request: HttpRequest, code: str) -> HttpResponse:
    criterion = get_object_or_404(Criterion, code=code)
    form = CriterionForm(_post(request), instance=criterion)
    return _edit(request, form, title=f"Rating criterion {criterion.code}", what="The criterion")


@require(can_maintain_catalogue)
def freedom_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, FreedomForm(_post(request)), title="Add a freedom", what="The freedom")


@require(can_maintain_catalogue)
def freedom_edit(request: HttpRequest, pk: int) -> HttpResponse:
    form = FreedomForm(_post(request), instance=get_object_or_404(Freedom, pk=pk))
    return _edit(request, form, title="Edit a freedom", what="The freedom")


@require_POST
@require(can_maintain_catalogue)
def freedom_remove(request: HttpRequest, pk: int) -> HttpResponse:
    freedom = get_object_or_404(Freedom, pk=pk)
    delete_audited(freedom, actor=signed_in(request), note="removed on the review settings page")
    messages.success(request, f"Removed the freedom {freedom.name!r} from the scheme of delegation.")
    return redirect("setup-reviews")


@require(can_maintain_catalogue)
def committee_add(request: HttpRequest) -> HttpResponse:
    return _edit(request, CommitteeForm(_post(request)), title="Add a committee", what="The committee")


@require(can_maintain_catalogue)
def committee_edit(request: HttpRequest, code: str) -> HttpResponse:
    form = CommitteeForm(_post(request), instance=get_object_or_404(Committee, code=code))
    return _edit(request, form, title="Edit a committee", what="The committee")


@require(can_maintain_catalogue)
def terms_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in MeetingKind.values:
        raise Http404("No such kind of meeting")
    terms: TermsOfReference = terms_of_reference(kind)
    form = TermsOfReferenceForm(_post(request), instance=terms)
    return _edit(request, form, title=f"Terms of reference: {terms.get_kind_display()}", what="The terms")


@require(can_maintain_catalogue)
def prm_slot_edit(request: HttpRequest) -> HttpResponse:
    """The day PRMs fall on and how often each position is reviewed. Moving the slot re-plans every
    division's future PRMs; changing a frequency re-rates and re-plans (both audited)."""
    slot = prm_slot()
    form = PrmSlotForm(
        _post(request),
        initial={"weekday": slot.weekday, "week_of_month": slot.week_of_month},
        words=trust_words(),
        current=review_frequency_table(),
    )
    if request.method == "POST" and form.is_valid():
        saved = tell(
            request,
            lambda: change_prm_settings(
                actor=signed_in(request),
                weekday=form.cleaned_data["weekday"],
                week_of_month=form.cleaned_data["week_of_month"],
                frequencies=form.frequencies(),
            ),
            done=lambda change: change.summary(),
        )
        if saved:
            return redirect("setup-reviews")
    title = "The PRM slot and review frequencies"
    return render(request, "trust_setup/catalogue/record_form.html", {"form": form, "title": title})
