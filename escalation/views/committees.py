"""Committees and their agendas of escalated cases."""

from __future__ import annotations

from datetime import date

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from divisions.words import request_words
from pmf.permissions import can_read_committees, require

from .. import selectors
from ..models import Committee


@require(can_read_committees)
def committee_list(request: HttpRequest) -> HttpResponse:
    return render(request, "escalation/committee_list.html", {"committees": Committee.objects.all()})


@require(can_read_committees)
def committee_detail(request: HttpRequest, code: str) -> HttpResponse:
    committee = get_object_or_404(Committee, code=code)
    agenda = selectors.committee_agenda(committee, today=date.today(), words=request_words(request))
    return render(request, "escalation/committee_detail.html", {"agenda": agenda})
