"""The ratings pages: the trust overview, a division's page, and the accountability review form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from divisions.models import Level, OrgUnit
from divisions.words import request_words
from pmf.permissions import (
    can_read_division_reviews,
    executive,
    internal_reader,
    request_access,
    require,
    signed_in,
)

from ..forms import AccountabilityReviewForm
from ..pages import DivisionPage, division_page, trust_overview
from ..services.ratings import record_accountability_review


@require(internal_reader)
def ratings_overview(request: HttpRequest) -> HttpResponse:
    """Every division's position, category, review frequency and 12-month trend."""
    return render(request, "reviews/overview.html", {"overview": trust_overview()})


@require(internal_reader)
def division(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, code=code, level=Level.DIVISION)
    page = division_page(unit, words=request_words(request))
    form = AccountabilityReviewForm(
        initial={"agreed_position": page.latest.computed_position if page.latest else None}
    )
    return _render_division(request, page, form)


def _render_division(
    request: HttpRequest, page: DivisionPage, form: AccountabilityReviewForm
) -> HttpResponse:
    access = request_access(request)
    context = {
        "page": page,
        "form": form,
        "can_review": executive(access),
        "can_open_meeting": can_read_division_reviews(access, page.division),
    }
    return render(request, "reviews/division.html", context)


@require_POST
@require(executive)
def accountability_review(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(OrgUnit, code=code, level=Level.DIVISION)
    form = AccountabilityReviewForm(request.POST)
    if form.is_valid():
        try:
            record_accountability_review(
                actor=signed_in(request),
                division=unit,
                held_on=form.cleaned_data["held_on"],
                agreed_position=form.cleaned_data["agreed_position"],
                rationale=form.cleaned_data["rationale"],
            )
        except ValidationError as error:
            form.add_error(None, "; ".join(error.messages))
        else:
            messages.success(request, f"Accountability review recorded for {unit.name}.")
            return redirect("division", code=unit.code)
    return _render_division(request, division_page(unit, words=request_words(request)), form)
