"""The data-quality issue log (DESIGN §3 Data quality): raised at the weekly DQ meeting or by validation."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from divisions.models import OrgUnit
from kpis.models import Kpi, Upload


class DataQualityIssue(models.Model):
    """A doubt about some data, with an owner, until it is resolved.

    Unresolved issues go to the monthly Data Quality Assurance Group (``escalated_to_dqag``). An issue raised
    from a validation warning keeps ``source_key`` (upload, row and check), and one raised for a missing value
    keeps its unit, KPI and month, so raising either twice is a no-op.
    """

    class Status(models.TextChoices):
        OPEN = "open"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved"

    class Source(models.TextChoices):
        MANUAL = "manual", "Raised at the weekly DQ meeting"
        VALIDATION = "validation", "Validation warning"
        NO_DATA = "no_data", "No data where data was expected"

    kpi = models.ForeignKey(Kpi, null=True, blank=True, on_delete=models.PROTECT, related_name="dq_issues")
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="dq_issues"
    )
    month = models.DateField(null=True, blank=True)
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.MANUAL)
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.PROTECT, related_name="dq_issues"
    )
    source_key = models.CharField(max_length=200, blank=True)
    escalated_to_dqag = models.BooleanField(default=False)
    escalated_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)

    class Meta:
        ordering = ["-raised_at", "-id"]
        verbose_name = "data-quality issue"
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=~Q(source_key=""), name="dqissue_source_key_once"
            ),
            models.CheckConstraint(
                name="dqissue_resolved_at_when_resolved",
                condition=Q(status="resolved", resolved_at__isnull=False)
                | (~Q(status="resolved") & Q(resolved_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="dqissue_escalated_at_with_flag",
                condition=Q(escalated_to_dqag=True, escalated_at__isnull=False)
                | Q(escalated_to_dqag=False, escalated_at__isnull=True),
            ),
            models.CheckConstraint(
                name="dqissue_month_is_first_day", condition=Q(month__isnull=True) | Q(month__day=1)
            ),
        ]

    def __str__(self) -> str:
        return f"DQ issue {self.pk}: {self.description[:60]}"
