"""Uploaded files and the measurements they carry."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from divisions.models import OrgUnit

from .catalogue import Kpi


class Upload(models.Model):
    """One submitted file, kept as received, and what became of it."""

    class Status(models.TextChoices):
        RECEIVED = "received"
        VALIDATING = "validating"
        FAILED = "failed", "Failed (could not be checked)"
        INVALID = "invalid"
        VALID = "valid"
        CONFIRMED = "confirmed", "Confirmed (draft, not yet published)"
        PUBLISHED = "published"
        SUPERSEDED = "superseded"

    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="uploads"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    months = models.JSONField(default=list, blank=True, help_text="ISO dates of the months the file covers")
    sha256 = models.CharField(max_length=64, unique=True, help_text="The same file is only ever taken once")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    row_count = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    progress = models.PositiveSmallIntegerField(default=0)
    summary = models.JSONField(
        default=dict, blank=True, help_text="The preview: rows new, restated and unchanged, by month"
    )
    check_requested_at = models.DateTimeField(
        default=timezone.now,
        help_text="When the current check was asked for (at upload, or when it was asked for again)",
    )
    failure_reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="When checking failed unexpectedly: the reference quoted in the error log",
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A national import: the file as NHS England published it, which the rows above were taken from.
    source_file = models.CharField(max_length=255, blank=True, help_text="The published file, as named")
    publication = models.CharField(max_length=200, blank=True, help_text="The national publication")
    source_format = models.CharField(max_length=40, blank=True, help_text="How the published file was read")
    source_sha256 = models.CharField(max_length=64, blank=True, help_text="The published file's sha256")
    source_notes = models.JSONField(
        default=list, blank=True, help_text="What the import decided about the file's rows, in words"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="upload_published_at_and_by_together",
                condition=Q(published_at__isnull=True, published_by__isnull=True)
                | Q(published_at__isnull=False, published_by__isnull=False),
            ),
            models.CheckConstraint(name="upload_progress_0_100", condition=Q(progress__lte=100)),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.status})"


class Measurement(models.Model):
    """A KPI's value for one unit and month: submitted, or computed by the roll-up.

    Rows are never overwritten. A restatement adds a new revision and the published
    row it replaces becomes ``superseded``, so the history of what was reported stays.
    """

    class Status(models.TextChoices):
        DRAFT = "draft"
        PUBLISHED = "published"
        SUPERSEDED = "superseded"

    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="measurements")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="measurements")
    month = models.DateField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField()
    upload = models.ForeignKey(
        Upload, null=True, blank=True, on_delete=models.PROTECT, related_name="measurements"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    is_rollup = models.BooleanField(default=False, help_text="Computed from the unit's children")
    revision = models.PositiveIntegerField(default=1)
    is_synthetic = models.BooleanField(default=False, help_text="Generated for demonstration, not real data")
    children_contributing = models.PositiveIntegerField(null=True, blank=True)
    children_expected = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kpi", "org_unit", "month", "revision"]
        indexes = [
            models.Index(fields=["month", "status"]),
            models.Index(fields=["org_unit", "kpi", "month"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kpi", "org_unit", "month", "is_rollup", "status"],
                condition=Q(status__in=["draft", "published"]),
                name="measurement_one_current_per_state",
            ),
            models.UniqueConstraint(
                fields=["kpi", "org_unit", "month", "is_rollup", "revision"],
                name="measurement_unique_revision",
            ),
            models.CheckConstraint(name="measurement_month_is_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="measurement_denominator_positive",
                condition=Q(denominator__isnull=True) | Q(denominator__gt=0),
            ),
            models.CheckConstraint(
                name="measurement_rollup_counts_together",
                condition=Q(
                    is_rollup=False, children_contributing__isnull=True, children_expected__isnull=True
                )
                | Q(
                    is_rollup=True,
                    children_contributing__isnull=False,
                    children_expected__isnull=False,
                    children_contributing__lte=F("children_expected"),
                ),
            ),
            models.CheckConstraint(
                name="measurement_rollup_has_no_upload", condition=Q(is_rollup=False) | Q(upload__isnull=True)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kpi.code} {self.org_unit.code} {self.month:%Y-%m} = {self.value:g}"

    @property
    def is_complete(self) -> bool:
        """A roll-up is complete when every expected child contributed."""
        return not self.is_rollup or self.children_contributing == self.children_expected


class MonthLock(models.Model):
    """One row per month, locked while a submission for that month is confirmed or published.

    Locking a row works the same way on PostgreSQL (a row lock, so a second upload for
    the month waits) and on SQLite (the write takes the database's single write lock).
    """

    month = models.DateField(unique=True)
    held_by = models.CharField(max_length=100, blank=True, help_text="What last held the lock")
    held_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["month"]
        constraints = [
            models.CheckConstraint(name="monthlock_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self) -> str:
        return f"lock for {self.month:%Y-%m}"
