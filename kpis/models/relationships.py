"""Lead and lag: one KPI expected to move first and another to follow some months later (DESIGN §9)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from .catalogue import Kpi

MAX_DELAY_MONTHS = 12


class KpiRelationship(models.Model):
    """The performance team's statement that ``lead`` moves ahead of ``lag`` by about ``delay_months``.

    It records an expectation and the reason for it, not a cause: the relationship page shows how far the
    published data bears it out. A rejected relationship is kept, so the suggestion list does not offer
    the pair again.
    """

    class Status(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        SUGGESTED = "suggested", "Suggested, not yet decided"
        REJECTED = "rejected", "Rejected"

    lead = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="leads_to")
    lag = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="lags_behind")
    delay_months = models.PositiveSmallIntegerField(
        default=0, help_text="How many months after the lead the lag is expected to follow (0 to 12)"
    )
    rationale = models.TextField(
        blank=True, help_text="Why the lead is expected to move first, and what the data shows"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACCEPTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["lead__code", "lag__code"]
        verbose_name = "KPI relationship"
        constraints = [
            models.UniqueConstraint(fields=["lead", "lag"], name="kpirelationship_once_per_pair"),
            models.CheckConstraint(name="kpirelationship_not_itself", condition=~Q(lead=F("lag"))),
            models.CheckConstraint(
                name="kpirelationship_delay_0_to_12", condition=Q(delay_months__lte=MAX_DELAY_MONTHS)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.lead.code} → {self.lag.code} ({self.delay_months} months, {self.status})"
