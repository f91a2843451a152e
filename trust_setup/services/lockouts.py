"""Sign-in lock-outs (django-axes): who is locked out now, and lifting one, audited."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min, QuerySet

from pmf.services.audit import Actor, record_audit


def locked_out(*, now: datetime) -> QuerySet[AccessAttempt, dict[str, Any]]:
    """Usernames locked out at an address at ``now`` (as many failures as the limit allows, within the
    cool-off: ``AXES_FAILURE_LIMIT``, ``AXES_COOLOFF_HOURS``), one row each however many browsers they
    tried from, latest first: ``username``, ``ip_address``, ``failures``, ``last_attempt`` and ``pk`` (one
    attempt's, to lift them by)."""
    since = now - timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    return (
        AccessAttempt.objects.filter(
            failures_since_start__gte=settings.AXES_FAILURE_LIMIT, attempt_time__gte=since
        )
        .values("username", "ip_address")
        .annotate(failures=Max("failures_since_start"), last_attempt=Max("attempt_time"), pk=Min("pk"))
        .order_by("-last_attempt")
    )


@transaction.atomic
def lift_lockout(*, actor: Actor, attempt_id: int) -> str:
    """Let the username at that address sign in again at once; returns the username. Audited."""
    attempt = AccessAttempt.objects.filter(pk=attempt_id).first()
    if attempt is None:
        raise ValidationError("That lock-out has already been lifted or has run out.")
    username = attempt.username or ""
    reset(ip=attempt.ip_address, username=attempt.username)
    record_audit(
        actor=actor,
        verb="lock-out lifted",
        object_type="axes.AccessAttempt",
        object_id=username,
        before={
            "username": username,
            "ip_address": attempt.ip_address,
            "failures": attempt.failures_since_start,
        },
    )
    return username
