"""Resetting a personal calendar address. Thin: authorise, call the service, say what happened.

Anyone with a calendar address can reset their own (it may have been shared or leaked with a forwarded
invitation); the performance team, and administrators, can reset anyone's, for example when someone leaves a
role or reports a lost device.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from pmf.models import User
from pmf.permissions import can_reset_calendar_addresses, internal_reader, request_access, require, signed_in

from ..services.calendar_feed import reset_calendar_feed


@require_POST
@require(internal_reader)
def reset_calendar_address(request: HttpRequest) -> HttpResponse:
    """Reset the signed-in person's calendar address, or (the performance team) the one of ``username``."""
    actor = signed_in(request)
    username = request.POST.get("username", "").strip()
    if not username or username == actor.get_username():
        reset_calendar_feed(actor=actor, user=actor)
        messages.success(
            request,
            "Your calendar address has been reset: the old one no longer works. "
            "Subscribe again with the new address below.",
        )
    else:
        if not can_reset_calendar_addresses(request_access(request)):
            raise PermissionDenied
        user = User.objects.filter(username=username).first()
        if user is None:
            messages.error(request, f"No one signs in as {username}.")
        else:
            reset_calendar_feed(actor=actor, user=user)
            messages.success(
                request,
                f"The calendar address of {user} has been reset: the old one no longer works. "
                "They can subscribe again from the Meetings page.",
            )
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("calendar")
