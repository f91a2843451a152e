"""Security events that belong in the audit trail alongside decisions and data changes."""

from typing import Any

from axes.signals import user_locked_out
from django.dispatch import receiver

from .services.audit import record_audit


@receiver(user_locked_out)
def audit_lockout(
    sender: Any, request: Any, username: str | None, ip_address: str | None, **kwargs: Any
) -> None:
    """An account locked after repeated failed sign-ins: who was tried, and from where."""
    record_audit(
        actor=None,
        verb="locked out",
        object_type="pmf.User",
        object_id=username or "",
        after={"username": username, "ip_address": ip_address},
        note="Too many failed sign-ins",
    )
