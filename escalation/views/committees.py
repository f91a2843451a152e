"""Committees and their agendas of escalated cases."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from divisions.words import request_words
from pmf.permissions import can_read_committees, can_read_fpec_summary, request_access, require
from reviews.selectors.packs import latest_prm_round

from .. import selectors
from ..models import Committee


@require(can_read_committees)
def committee_list(request: HttpRequest) -> HttpResponse:
    return render(request, "escalation/committee_list.html", {"committees": Committee.objects.all()})


@require(can_read_committees)
def committee_detail(request: HttpRequest, code: str) -> HttpResponse:
    committee = get_object_or_404(Committee, code=code)
    today = date.today()
    agenda = selectors.committee_agenda(committee, today=today, words=request_words(request))
    paper = (
        latest_prm_round(today)
        if committee.code == selectors.FPEC and can_read_fpec_summary(request_access(request))
        else None
    )
    return render(request, "escalation/committee_detail.html", {"agenda": agenda, "fpec_paper_month": paper})
