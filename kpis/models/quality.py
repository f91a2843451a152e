"""Data-quality kitemarks: how far each KPI's data can be trusted."""

from django.conf import settings
from django.db import models

from .catalogue import Kpi


class Kitemark(models.Model):
    class Dimension(models.TextChoices):
        TIMELINESS = "timeliness"
        COMPLETENESS = "completeness"
        VALIDATION = "validation"
        AUDIT = "audit"
        SOURCE_SYSTEM = "source_system", "Source system"
        GRANULARITY = "granularity"

    class Rating(models.TextChoices):
        ASSURED = "assured"
        PARTIAL = "partial"
        NOT_ASSURED = "not_assured", "Not assured"
        NOT_ASSESSED = "not_assessed", "Not assessed"

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="kitemarks")
    dimension = models.CharField(max_length=20, choices=Dimension.choices)
    rating = models.CharField(max_length=20, choices=Rating.choices, default=Rating.NOT_ASSESSED)
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["kpi", "dimension", "-assessed_on"]
        constraints = [
            models.UniqueConstraint(fields=["kpi", "dimension", "assessed_on"], name="kitemark_one_per_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.dimension}: {self.rating}"
