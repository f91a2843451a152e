"""Sign-in lock-outs: who is locked out after failed sign-ins, and lifting one (audited)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from pmf.feedback import tell
from pmf.formatting import format_plain
from pmf.permissions import can_manage_people, require, signed_in

from ..services.lockouts import lift_lockout, locked_out


@require(can_manage_people)
def lockouts(request: HttpRequest) -> HttpResponse:
    context = {
        "attempts": locked_out(now=timezone.now()),
        "limit": settings.AXES_FAILURE_LIMIT,
        "cooloff": format_plain(settings.AXES_COOLOFF_TIME),
        "hours": "hour" if settings.AXES_COOLOFF_TIME == 1 else "hours",
    }
    return render(request, "trust_setup/lockouts.html", context)


@require_POST
@require(can_manage_people)
def lockout_lift(request: HttpRequest, pk: int) -> HttpResponse:
    def lift() -> str:
        return lift_lockout(actor=signed_in(request), attempt_id=pk)

    tell(request, lift, done=lambda username: f"{username or 'That address'} may sign in again.")
    return redirect("setup-lockouts")
