"""The action log and the FPEC summary paper. Thin views over ``reviews.selectors.packs`` and the services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_POST

from divisions.models import Level, OrgUnit
from kpis.printing import html_to_pdf
from pmf.exports import csv_response, xlsx_response
from pmf.feedback import tell
from pmf.periods import parse_month
from pmf.permissions import (
    can_add_meeting_actions,
    can_create_actions,
    can_read_all_reviews,
    can_read_division_reviews,
    can_read_fpec_summary,
    can_read_meetings,
    request_access,
    require,
    signed_in,
)

from ..meeting_forms import ActionFilterForm, ActionForm, ActionUpdateForm
from ..models import OPEN_STATUSES, Action, Meeting
from ..selectors.packs import actions_with_updates, fpec_summary
from ..services.actions import create_action, update_action

EXPORT_HEADER = ["Division", "Title", "Owner", "Due", "Status", "Overdue", "KPIs", "FPEC", "Latest update"]


def _filtered(request: HttpRequest) -> tuple[ActionFilterForm, QuerySet[Action]]:
    access = request_access(request)
    actions = actions_with_updates().order_by("due_date", "pk")
    if not can_read_all_reviews(access):
        actions = actions.filter(division_id__in=access.divisions)
    form = ActionFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        if data["division"]:
            actions = actions.filter(division__code=data["division"])
        if data["status"] == "overdue":
            actions = actions.filter(status__in=OPEN_STATUSES, due_date__lt=timezone.localdate())
        elif data["status"]:
            actions = actions.filter(status=data["status"])
        if data["fpec"]:
            actions = actions.filter(escalate_to_fpec=True)
    return form, actions


@require(can_read_meetings)
def action_log(request: HttpRequest) -> HttpResponse:
    form, actions = _filtered(request)
    access = request_access(request)
    return render(
        request,
        "reviews/actions.html",
        {
            "form": form,
            "actions": actions,
            "today": timezone.localdate(),
            "divisions": OrgUnit.objects.filter(level=Level.DIVISION).order_by("name"),
            "new_form": ActionForm(),
            "can_create": can_create_actions(access),
            "query": request.GET.urlencode(),
        },
    )


def _rows(actions: QuerySet[Action]) -> list[list[object]]:
    today = timezone.localdate()
    rows = []
    for a in actions:
        updates = list(a.updates.all())
        rows.append(
            [
                a.division.name,
                a.title,
                a.owner,
                a.due_date,
                a.get_status_display(),
                a.is_overdue(today),
                " ".join(k.code for k in a.kpis.all()),
                a.escalate_to_fpec,
                updates[-1].note if updates else "",
            ]
        )
    return rows


@require(can_read_meetings)
def action_export_csv(request: HttpRequest) -> HttpResponse:
    _, actions = _filtered(request)
    return csv_response(filename="actions.csv", header=EXPORT_HEADER, rows=_rows(actions))


@require(can_read_meetings)
def action_export_xlsx(request: HttpRequest) -> HttpResponse:
    _, actions = _filtered(request)
    return xlsx_response(filename="actions.xlsx", header=EXPORT_HEADER, rows=_rows(actions))


@require_POST
@require(can_read_meetings)
def action_create(request: HttpRequest) -> HttpResponse:
    """A new action: the performance team's, in the log or from a meeting; a meeting's chair's, from it."""
    form = ActionForm(request.POST)
    division = get_object_or_404(OrgUnit, code=request.POST.get("division", ""), level=Level.DIVISION)
    meeting = None
    if request.POST.get("meeting"):
        meeting = get_object_or_404(Meeting, pk=request.POST["meeting"])
    access = request_access(request)
    allowed = (
        can_add_meeting_actions(access, chair_id=meeting.chair_id, user_id=request.user.pk)
        if meeting is not None
        else can_create_actions(access)
    )
    if not allowed:
        raise PermissionDenied
    if not form.is_valid():
        messages.error(request, "The action needs a title, an owner and a due date.")
    else:
        tell(
            request,
            lambda: create_action(
                actor=signed_in(request),
                division=division,
                meeting=meeting,
                **form.cleaned_data,
            ),
            done="Action added.",
        )
    return redirect("meeting", pk=meeting.pk) if meeting else redirect("actions")


def _action_for(request: HttpRequest, pk: int) -> Action:
    action = get_object_or_404(actions_with_updates(), pk=pk)
    if not can_read_division_reviews(request_access(request), action.division):
        raise PermissionDenied
    return action


@require(can_read_meetings)
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action_for(request, pk)
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    return render(
        request,
        "reviews/action.html",
        {
            "action": action,
            "form": ActionUpdateForm(initial={"status": action.status}),
            "can_update": request_access(request).can_write_for(action.division, parents),
            "overdue": action.is_overdue(timezone.localdate()),
        },
    )


@require_POST
@require(can_read_meetings)
def action_update(request: HttpRequest, pk: int) -> HttpResponse:
    """A dated update from the owning division (or the performance team); anyone else gets 403."""
    action = _action_for(request, pk)
    parents = dict(OrgUnit.objects.values_list("id", "parent_id"))
    if not request_access(request).can_write_for(action.division, parents):
        raise PermissionDenied
    form = ActionUpdateForm(request.POST)
    if form.is_valid():
        tell(
            request,
            lambda: update_action(actor=signed_in(request), action=action, **form.cleaned_data),
            done="Update recorded.",
        )
    else:
        messages.error(request, "Write the update and choose a status.")
    return redirect("action", pk=action.pk)


def _fpec(month: str) -> dict[str, Any]:
    try:
        return fpec_summary(parse_month(month), today=timezone.localdate())
    except ValueError:
        raise Http404("Give the month as YYYY-MM") from None


@require(can_read_fpec_summary)
def fpec(request: HttpRequest, month: str) -> HttpResponse:
    """The FPEC summary paper after a month's round of PRMs."""
    return render(request, "reviews/fpec.html", {**_fpec(month), "printable": False})


@require(can_read_fpec_summary)
def fpec_pdf(request: HttpRequest, month: str) -> HttpResponse:
    html = render_to_string("reviews/fpec_pdf.html", {**_fpec(month), "printable": True, "printing": True})
    response = HttpResponse(html_to_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="fpec-summary-{month}.pdf"'
    return response
