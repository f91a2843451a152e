"""Core models: the user, the audit trail and the record of background jobs."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


class User(AbstractUser):
    """A person who signs in. Roles and divisions come from ``divisions.RoleAssignment``."""

    job_title = models.CharField(max_length=200, blank=True)
    # Part of what the personal calendar-feed address signs: raising it makes every earlier address stop
    # working (reviews.services.calendar_feed).
    calendar_feed_generation = models.PositiveIntegerField(
        default=0, help_text="Raised each time the person's calendar address is reset"
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class AuditEvent(models.Model):
    """One human decision or data change, append-only.

    No foreign keys: the trail must outlive whatever it describes, so the actor and
    the object are recorded by value.
    """

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.CharField(max_length=150, blank=True, help_text="Username, or blank for the system")
    verb = models.CharField(max_length=100, db_index=True)
    object_type = models.CharField(max_length=100, db_index=True)
    object_id = models.CharField(max_length=100, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        who = self.actor or "system"
        return f"{self.at:%Y-%m-%d %H:%M} {who} {self.verb} {self.object_type} {self.object_id}"


class JobRun(models.Model):
    """A run of a background job, with its progress, so pages can show long work."""

    class Status(models.TextChoices):
        RUNNING = "running"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    name = models.CharField(max_length=100, db_index=True)
    arguments = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RUNNING)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent complete, 0 to 100")
    message = models.TextField(blank=True)
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="jobrun_finished_iff_not_running",
                condition=(Q(status="running") & Q(finished_at__isnull=True))
                | (~Q(status="running") & Q(finished_at__isnull=False)),
            ),
            models.CheckConstraint(name="jobrun_progress_0_100", condition=Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.status})"
