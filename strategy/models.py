"""The Board's annual priorities, their dated milestones and the owners' monthly progress updates (DESIGN §9).

A priority belongs to a financial year, named by the year it starts (2025 for 2025/26). Overdue is computed
(not complete and past its due date), never stored. Actions are named by their label, "reviews.Action":
this app sits below the reviews app (docs/architecture.md) and never imports it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from divisions.models import OrgUnit
from kpis.models import Kpi


class Priority(models.Model):
    """One of the Board's priorities for a financial year, owned by an executive."""

    year = models.PositiveSmallIntegerField(
        help_text="The financial year, named by the year it starts: 2025 for 2025/26"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="priorities",
        help_text="The executive who owns the priority and writes its monthly update",
    )
    objectives = models.TextField(
        blank=True, help_text="The strategic objectives the priority serves, one a line"
    )
    division = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="priorities",
        help_text="The division that leads the priority, if one does",
    )
    kpis = models.ManyToManyField(Kpi, blank=True, related_name="priorities")
    actions = models.ManyToManyField("reviews.Action", blank=True, related_name="priorities")

    class Meta:
        ordering = ["-year", "title", "pk"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["year", "title"], name="priority_title_once_a_year"),
            models.CheckConstraint(
                name="priority_year_plausible", condition=Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year_label}: {self.title}"

    @property
    def year_label(self) -> str:
        """The financial year as the NHS writes it: 2025/26."""
        return f"{self.year}/{(self.year + 1) % 100:02d}"


class Milestone(models.Model):
    """A dated step towards a priority; complete when ``completed_on`` is set."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_date = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
        help_text="The unit that delivers the milestone, if not the priority's division",
    )

    class Meta:
        ordering = ["priority", "due_date", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "title"], name="milestone_title_once_a_priority"),
        ]

    def __str__(self) -> str:
        return f"{self.priority.title}: {self.title} ({self.due_date:%Y-%m-%d})"


class PriorityStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class PriorityUpdate(models.Model):
    """The owner's update on a month: one per priority and month; editing replaces it, the audit keeps it."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="updates")
    month = models.DateField()
    status = models.CharField(max_length=12, choices=PriorityStatus.choices)
    narrative = models.TextField()
    evidence = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["priority", "-month"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "month"], name="priority_update_one_per_month"),
            models.CheckConstraint(name="priority_update_month_is_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="priority_update_status_known", condition=Q(status__in=[s.value for s in PriorityStatus])
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority.title} {self.month:%Y-%m}: {self.status}"


class PriorityUpdateReminder(models.Model):
    """A reminder e-mailed to an owner whose monthly update was missing: one per priority and month, so the
    daily job never sends the same reminder twice."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    sent_to = models.JSONField(default=list, help_text="The addresses the reminder went to")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "priority"]
        constraints = [
            models.UniqueConstraint(fields=["priority", "month"], name="priority_reminder_once"),
            models.CheckConstraint(name="priority_reminder_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.priority.title} {self.month:%Y-%m}"
