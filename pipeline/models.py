"""What a publish owes: one row per publish (or recalculation), written in its transaction."""

from django.db import models
from django.db.models import Q


class PipelineRun(models.Model):
    """The follow-on work one change of published data owes, from ``start_step`` to the end of the pipeline.

    Written in the publishing transaction, so a publish that commits always leaves its debt behind, whether
    or not a worker could be told. Runs that are owed together are done together (``pipeline.steps.merge``).
    """

    class Status(models.TextChoices):
        OWED = "owed", "Owed"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    reason = models.CharField(max_length=200)
    kpi_ids = models.JSONField(null=True, blank=True, help_text="The KPIs whose charts change; empty: all")
    first_month = models.DateField(null=True, blank=True, help_text="The earliest month affected; empty: all")
    start_step = models.CharField(max_length=20, default="spc")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OWED, db_index=True)
    queued = models.BooleanField(
        default=False, help_text="A worker was told of it, or it runs in the process that recorded it"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="pipelinerun_finished_iff_done_or_failed",
                condition=(Q(status__in=["done", "failed"]) & Q(finished_at__isnull=False))
                | (Q(status__in=["owed", "running"]) & Q(finished_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="pipelinerun_known_start_step",
                condition=Q(start_step__in=["spc", "ratings", "schedules", "escalations", "ipr"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reason} ({self.status})"
