"""The action log: what a division agreed to do at (or after) a PRM, and its dated updates."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from divisions.models import OrgUnit
from kpis.models import Kpi, StrategicObjective


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class Action(models.Model):
    """An action owned by a division. Overdue is computed (open past its due date), never stored."""

    division = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="actions", limit_choices_to={"level": "division"}
    )
    meeting = models.ForeignKey(
        "Meeting", null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    owner = models.CharField(max_length=200, help_text="The person or post who owns the action")
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    kpis = models.ManyToManyField(Kpi, blank=True, related_name="actions")
    objective = models.ForeignKey(
        StrategicObjective, null=True, blank=True, on_delete=models.PROTECT, related_name="actions"
    )
    escalate_to_fpec = models.BooleanField(default=False, help_text="Reported in the FPEC summary paper")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="action_status_known", condition=Q(status__in=[s.value for s in ActionStatus])
            )
        ]

    def __str__(self) -> str:
        return f"{self.division.name}: {self.title}"

    def is_overdue(self, today) -> bool:  # type: ignore[no-untyped-def]
        return self.status in OPEN_STATUSES and self.due_date < today


class ActionUpdate(models.Model):
    """A dated progress note on an action, with the status it left the action in."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices)

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.action.title} {self.at:%Y-%m-%d}: {self.status}"
