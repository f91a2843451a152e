"""The KPI owner's commentary on a month: what the chart tells us, issues, actions, recovery."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from divisions.models import OrgUnit

from .catalogue import Kpi


class Commentary(models.Model):
    """Written for one KPI, unit and month; required for every key KPI that is off plan (DESIGN §3).

    One row per (kpi, unit, month): editing replaces the text, and the audit trail keeps what it said.
    """

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="commentaries")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="commentaries")
    month = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    what_the_chart_tells_us = models.TextField(blank=True)
    issues = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    mitigations = models.TextField(blank=True)
    recovery_date = models.DateField(
        null=True, blank=True, help_text="When performance is expected to recover"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kpi", "org_unit", "-month"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(fields=["kpi", "org_unit", "month"], name="commentary_one_per_month"),
            models.CheckConstraint(name="commentary_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"Commentary {self.kpi.code} {self.org_unit.code} {self.month:%Y-%m}"


class CommentaryReminder(models.Model):
    """A reminder e-mailed for a key KPI that was off plan with no commentary: one per KPI, unit and month,
    so the daily job never sends the same reminder twice."""

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="+")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    month = models.DateField()
    sent_to = models.JSONField(default=list, help_text="The addresses the reminder went to")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "org_unit", "kpi"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "org_unit", "month"], name="commentary_reminder_once"),
            models.CheckConstraint(name="commentary_reminder_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"Reminder {self.kpi.code} {self.org_unit.code} {self.month:%Y-%m}"
