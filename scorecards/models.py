"""Individual scorecards (DESIGN §9): a person's PDR objectives for a financial year, each linked to a KPI,
one of the Board's priorities or an action, with the progress recorded on it over the year; and who
line-manages whom, which decides who may read a person's scorecard (``pmf.permissions.can_read_scorecard``).

A year is named by the year it starts (2025 for 2025/26), as the Board's priorities are.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from kpis.models import Kpi


class LineManagement(models.Model):
    """Who line-manages ``person`` today: set by the performance team; each change is in the audit trail."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="line_management"
    )
    manager = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reports")

    class Meta:
        ordering = ["person__username"]
        constraints = [
            models.CheckConstraint(name="linemanagement_not_own_manager", condition=~Q(person=F("manager"))),
        ]

    def __str__(self) -> str:
        return f"{self.person} reports to {self.manager}"


class ObjectiveStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class Objective(models.Model):
    """One of a person's PDR objectives for a year, and where it stands now (its latest progress)."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pdr_objectives"
    )
    year = models.PositiveSmallIntegerField(help_text="The financial year, named by the year it starts")
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True, help_text="What success looks like by the year's end")
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.PROTECT, related_name="pdr_objectives"
    )
    priority = models.ForeignKey(
        "strategy.Priority", null=True, blank=True, on_delete=models.PROTECT, related_name="pdr_objectives"
    )
    action = models.ForeignKey(
        "reviews.Action", null=True, blank=True, on_delete=models.PROTECT, related_name="pdr_objectives"
    )
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=12, choices=ObjectiveStatus.choices, default=ObjectiveStatus.NOT_STARTED
    )
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    narrative = models.TextField(blank=True, help_text="The latest word on progress")

    class Meta:
        ordering = ["person", "-year", "due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                name="objective_linked",
                condition=Q(kpi__isnull=False) | Q(priority__isnull=False) | Q(action__isnull=False),
            ),
            models.CheckConstraint(
                name="objective_percent_0_to_100",
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
            ),
            models.CheckConstraint(
                name="objective_status_known", condition=Q(status__in=ObjectiveStatus.values)
            ),
            models.CheckConstraint(
                name="objective_year_plausible", condition=Q(year__gte=2000, year__lte=2100)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.title} ({self.year}/{(self.year + 1) % 100:02d})"


class ObjectiveUpdate(models.Model):
    """Progress recorded on an objective: its status then, a percentage or a narrative (or both)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="updates")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=ObjectiveStatus.choices)
    percent_complete = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["objective", "at", "pk"]
        constraints = [
            models.CheckConstraint(
                name="objectiveupdate_percent_or_note",
                condition=Q(percent_complete__isnull=False) | ~Q(note=""),
            ),
            models.CheckConstraint(
                name="objectiveupdate_percent_0_to_100",
                condition=Q(percent_complete__isnull=True) | Q(percent_complete__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.objective.title}: {self.get_status_display()} ({self.at:%Y-%m-%d})"
