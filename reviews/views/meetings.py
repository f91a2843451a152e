"""Pages for PRM schedules, meetings and data packs. Thin: authorise, call a selector or a service, render.

Who may do what: the performance team builds, edits, issues and circulates packs; executives and the
performance team read everything; a division's triumvirate reads its own meetings and its issued packs.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from divisions.models import Level, OrgUnit
from pmf.periods import FinancialYear, add_months, month_start
from pmf.permissions import (
    access_for,
    can_add_meeting_actions,
    can_prepare_packs,
    can_read_all_reviews,
    can_read_division_reviews,
    can_read_fpec_summary,
    can_read_meetings,
    can_record_meetings,
    can_reset_calendar_addresses,
    internal_reader,
    request_access,
    require,
    signed_in,
)

from ..ical import CalendarEvent, calendar
from ..meeting_forms import PackEditForm, RecordMeetingForm
from ..models import DataPack, Meeting
from ..services.calendar_feed import feed_token, user_for_feed_token
from ..services.meetings import record_meeting, terms_of_reference
from ..services.packs import build_pack, circulate_pack, edit_pack, issue_pack


def _meeting_for(request: HttpRequest, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting.objects.select_related("division", "chair"), pk=pk)
    if not can_read_division_reviews(request_access(request), meeting.division):
        raise PermissionDenied
    return meeting


UPCOMING_MONTHS = 12


def _months_shown(request: HttpRequest, today: date) -> tuple[list[date], FinancialYear | None]:
    """The months a calendar shows: a financial year asked for (``?year=2025/26``), else twelve months from
    this one, so the page opens on what is coming rather than on April."""
    try:
        year = FinancialYear.parse(request.GET["year"])
    except (KeyError, ValueError):
        first = month_start(today)
        return [add_months(first, i) for i in range(UPCOMING_MONTHS)], None
    return year.months, year


def _calendar_page(request: HttpRequest, division: OrgUnit | None) -> HttpResponse:
    today = timezone.localdate()
    shown, year = _months_shown(request, today)
    meetings = Meeting.objects.filter(
        scheduled_for__gte=shown[0], scheduled_for__lt=add_months(shown[-1], 1)
    ).select_related("division", "pack")
    if division is not None:
        meetings = meetings.filter(division=division)
    months: dict[date, list[Meeting]] = {m: [] for m in shown}
    for meeting in meetings.order_by("scheduled_for", "division__name"):
        months[meeting.scheduled_for.replace(day=1)].append(meeting)
    access = request_access(request)
    token = feed_token(signed_in(request))
    this_year = FinancialYear.containing(today)
    return render(
        request,
        "reviews/calendar.html",
        {
            "division": division,
            "year": year,
            "this_year": this_year,
            "earlier_year": this_year.previous(),
            "previous_year": year.previous() if year is not None else this_year,
            "next_year": year.next() if year is not None else None,
            "months": list(months.items()),
            "readable": {d for d in access.divisions} if not can_read_all_reviews(access) else None,
            "feed_url": request.build_absolute_uri(reverse("calendar-feed", args=[token])),
            "can_reset_others": can_reset_calendar_addresses(access),
            "can_read_fpec": can_read_fpec_summary(access),
            "today": today,
        },
    )


@require(internal_reader)
def trust_calendar(request: HttpRequest) -> HttpResponse:
    """Every division's PRMs for a financial year, month by month."""
    return _calendar_page(request, None)


@require(internal_reader)
def division_calendar(request: HttpRequest, code: str) -> HttpResponse:
    return _calendar_page(request, get_object_or_404(OrgUnit, code=code, level=Level.DIVISION))


def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The signed, per-user iCalendar feed Outlook subscribes to (no session: the token is the key).

    An address that was reset since it was given out is not found, like a forged one.

    A divisional member gets their division's meetings; the performance team and executives every meeting.
    """
    user = user_for_feed_token(token)
    if user is None:
        raise Http404("No such calendar")
    access = access_for(user)
    if not can_read_meetings(access):
        raise Http404("No such calendar")
    since = timezone.localdate() - timedelta(days=400)
    meetings = Meeting.objects.filter(scheduled_for__gte=since).select_related("division")
    if not can_read_all_reviews(access):
        meetings = meetings.filter(division_id__in=access.divisions)
    events = [
        CalendarEvent(
            uid=f"meeting-{m.pk}@pmf",
            day=m.scheduled_for,
            summary=f"{m.get_kind_display()}: {m.division.name}",
            description=f"Review frequency {m.frequency}. Data pack due to {m.division.name} 7 days before.",
            url=request.build_absolute_uri(reverse("meeting", args=[m.pk])),
            cancelled=m.status == Meeting.Status.CANCELLED,
        )
        for m in meetings.order_by("scheduled_for")
    ]
    body = calendar(events, name=f"PMF meetings for {user.get_username()}", stamp=timezone.now())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="pmf-meetings.ics"'
    return response


@require(can_read_meetings)
def meeting(request: HttpRequest, pk: int) -> HttpResponse:
    """A meeting: terms of reference, invitees, attendance (essential absences flagged), minutes, actions."""
    m = _meeting_for(request, pk)
    invitations = list(m.invitations.select_related("user"))
    access = request_access(request)
    pack = DataPack.objects.filter(meeting=m).first()
    form = RecordMeetingForm(
        invitations=invitations,
        initial={
            "attended": [i.user_id for i in invitations if i.attended],
            "minutes": m.minutes,
            "decisions": m.decisions,
        },
    )
    return render(
        request,
        "reviews/meeting.html",
        {
            "meeting": m,
            "terms": terms_of_reference(m.kind),
            "invitations": invitations,
            "essential_absent": [i for i in invitations if i.is_essential and i.attended is False],
            "pack": pack,
            "pack_visible": pack is not None and (pack.is_issued or can_read_all_reviews(access)),
            "actions": m.actions.order_by("due_date"),
            "form": form,
            "can_manage": can_prepare_packs(access),
            "can_add_actions": can_add_meeting_actions(access, chair_id=m.chair_id, user_id=request.user.pk),
            "can_record": can_record_meetings(access),
            "today": timezone.localdate(),
        },
    )


@require_POST
@require(can_record_meetings)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    m = _meeting_for(request, pk)
    form = RecordMeetingForm(request.POST, invitations=list(m.invitations.select_related("user")))
    if not form.is_valid():
        messages.error(request, "Check the attendance, minutes and decisions.")
        return redirect("meeting", pk=m.pk)
    try:
        absent = record_meeting(
            actor=signed_in(request),
            meeting=m,
            attended=set(form.cleaned_data["attended"]),
            minutes=form.cleaned_data["minutes"],
            decisions=form.cleaned_data["decisions"],
        )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, "Meeting recorded as held.")
        if absent:
            messages.warning(request, "Essential members absent: " + ", ".join(str(i.user) for i in absent))
    return redirect("meeting", pk=m.pk)


def _pack_for(request: HttpRequest, pk: int) -> DataPack:
    m = _meeting_for(request, pk)
    pack = DataPack.objects.filter(meeting=m).select_related("meeting__division").first()
    if pack is None:
        raise Http404("No pack has been built for this meeting yet.")
    if not pack.is_issued and not can_read_all_reviews(request_access(request)):
        raise Http404("This pack has not been issued yet.")
    return pack


def _pack_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    m = _meeting_for(request, pk)
    try:
        if verb == "build":
            build_pack(meeting=m, actor=signed_in(request))
            messages.success(request, "Pack built from the data as it stands. Check the lines of enquiry.")
        else:
            p = DataPack.objects.filter(meeting=m).first()
            if p is None:
                raise ValidationError("Build the pack first.")
            if verb == "edit":
                form = PackEditForm(request.POST)
                if form.is_valid():
                    edit_pack(pack=p, actor=signed_in(request), **form.cleaned_data)
                    messages.success(request, "Pack updated.")
            elif verb == "issue":
                p = issue_pack(pack=p, actor=signed_in(request))
                late = " (late)." if p.issued_late else "."
                messages.success(request, f"Pack issued to {p.meeting.division.name}{late}")
            elif verb == "circulate":
                p = circulate_pack(pack=p, actor=signed_in(request))
                messages.success(
                    request, "Pack circulated to invitees" + (" (late)." if p.circulated_late else ".")
                )
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    if verb == "build" and not DataPack.objects.filter(meeting=m).exists():
        return redirect("meeting", pk=m.pk)
    return redirect("pack", pk=m.pk)


@require_POST
@require(can_prepare_packs)
def pack_build(request: HttpRequest, pk: int) -> HttpResponse:
    return _pack_action(request, pk, "build")


@require_POST
@require(can_prepare_packs)
def pack_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _pack_action(request, pk, "edit")


@require_POST
@require(can_prepare_packs)
def pack_issue(request: HttpRequest, pk: int) -> HttpResponse:
    return _pack_action(request, pk, "issue")


@require_POST
@require(can_prepare_packs)
def pack_circulate(request: HttpRequest, pk: int) -> HttpResponse:
    return _pack_action(request, pk, "circulate")
