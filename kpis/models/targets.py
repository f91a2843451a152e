"""Targets per financial year and monthly trajectories (the plan)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from divisions.models import OrgUnit

from .catalogue import Kpi


class Target(models.Model):
    """A KPI's target for a financial year, for one unit or (no unit) for all units.

    Within a year a later ``effective_from`` replaces an earlier one, e.g. an interim
    target raised in month 6.
    """

    class SetBy(models.TextChoices):
        NATIONAL = "national", "National standard"
        LOCAL = "local", "Local"
        CONTRACT = "contract", "Contract"

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="targets")
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="targets"
    )
    financial_year = models.CharField(max_length=7, help_text="e.g. 2025/26")
    value = models.FloatField()
    tolerance = models.FloatField(
        default=0, help_text="How far from the plan still counts as within tolerance"
    )
    set_by = models.CharField(max_length=20, choices=SetBy.choices, default=SetBy.NATIONAL)
    effective_from = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "financial_year", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "org_unit", "financial_year", "effective_from"],
                name="target_unique_per_unit",
                condition=Q(org_unit__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["kpi", "financial_year", "effective_from"],
                name="target_unique_for_all_units",
                condition=Q(org_unit__isnull=True),
            ),
            models.CheckConstraint(name="target_tolerance_not_negative", condition=Q(tolerance__gte=0)),
        ]

    def __str__(self) -> str:
        where = self.org_unit.code if self.org_unit else "all units"
        return f"{self.kpi.code} {self.financial_year} {where}: {self.value:g}"


class Trajectory(models.Model):
    """The planned value for one month; where it exists it is the plan instead of the target."""

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="trajectory")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="trajectories")
    month = models.DateField()
    value = models.FloatField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["kpi", "org_unit", "month"]
        verbose_name_plural = "trajectories"
        constraints = [
            models.UniqueConstraint(fields=["kpi", "org_unit", "month"], name="trajectory_unique_month"),
            models.CheckConstraint(name="trajectory_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.org_unit.code} {self.month:%Y-%m}: {self.value:g}"
