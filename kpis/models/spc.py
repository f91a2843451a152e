"""SPC: recalculation points (data, never automatic) and the materialised chart of each series."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from divisions.models import OrgUnit

from .catalogue import Kpi


class Recalculation(models.Model):
    """The performance team recalculates a chart's limits from a month, for a recorded reason."""

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="recalculations")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="recalculations")
    month = models.DateField(help_text="The first month of the new limits")
    reason = models.TextField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kpi", "org_unit", "month"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "org_unit", "month"], name="recalculation_once_per_month"),
            models.CheckConstraint(name="recalculation_month_is_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(name="recalculation_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.org_unit.code} from {self.month:%Y-%m}"


class SpcSeries(models.Model):
    """The chart of one KPI for one unit as last computed, so pages never recompute on request."""

    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="spc_series")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="spc_series")
    rule_set = models.CharField(max_length=20)
    direction = models.CharField(max_length=20)
    target = models.FloatField(null=True, blank=True, help_text="The target the assurance was judged against")
    first_month = models.DateField()
    latest_month = models.DateField()
    n_points = models.PositiveIntegerField()
    variation_icon = models.CharField(max_length=30, blank=True)
    assurance = models.CharField(max_length=30, blank=True)
    mean = models.FloatField(null=True, blank=True)
    lpl = models.FloatField(null=True, blank=True)
    upl = models.FloatField(null=True, blank=True)
    inputs = models.CharField(
        max_length=64,
        blank=True,
        help_text="A digest of everything the chart was computed from (its values by month, rule set,"
        " direction, target, recalculations and the engine's version): a refresh rewrites only the charts"
        " whose digest changed",
    )
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kpi", "org_unit"]
        verbose_name = "SPC series"
        verbose_name_plural = "SPC series"
        constraints = [models.UniqueConstraint(fields=["kpi", "org_unit"], name="spcseries_one_per_kpi_unit")]

    def __str__(self) -> str:
        return f"SPC {self.kpi.code} {self.org_unit.code}"


class SpcPoint(models.Model):
    """One month of a materialised chart: the lines in force and which rule fired."""

    # No index of its own: the unique (series, month) constraint's index serves every look-up by series. No
    # foreign key in the database either: points are only written with their series, in one transaction
    # (kpis.services.spc_store), and removed before it (or by Django's cascade); checking 1.7 million rows at
    # each month's commit cost more than writing them.
    series = models.ForeignKey(
        SpcSeries, on_delete=models.CASCADE, related_name="points", db_index=False, db_constraint=False
    )
    month = models.DateField()
    value = models.FloatField(null=True, blank=True)
    segment = models.PositiveSmallIntegerField(default=0)
    mean = models.FloatField(null=True, blank=True)
    lpl = models.FloatField(null=True, blank=True)
    upl = models.FloatField(null=True, blank=True)
    near_lpl = models.FloatField(null=True, blank=True)
    near_upl = models.FloatField(null=True, blank=True)
    rule = models.CharField(max_length=20, blank=True)
    point_type = models.CharField(max_length=40)

    class Meta:
        ordering = ["series", "month"]
        constraints = [models.UniqueConstraint(fields=["series", "month"], name="spcpoint_one_per_month")]

    def __str__(self) -> str:
        return f"{self.series} {self.month:%Y-%m} {self.point_type}"
