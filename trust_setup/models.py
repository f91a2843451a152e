"""What the setup pages keep: each uploaded setup workbook, so applying uses exactly the file previewed."""

from django.conf import settings
from django.db import models
from django.db.models import Q


class SetupImport(models.Model):
    """An uploaded setup workbook, its preview, and whether (and by whom) it was applied.

    The file is kept with its SHA-256; applying reads the kept bytes, checks the hash, checks the whole file
    again and applies it only if its changes are still the ones previewed (``preview_digest``).
    """

    class Status(models.TextChoices):
        REFUSED = "refused", "Refused: problems to fix"
        READY = "ready", "Checked: ready to apply"
        APPLIED = "applied", "Applied"

    file = models.FileField(upload_to="setup/%Y/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    preview = models.JSONField(
        default=dict, help_text="What the file adds, changes and retires, or its problems"
    )
    preview_digest = models.CharField(max_length=64, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                name="setupimport_applied_at_and_by_together",
                condition=Q(applied_at__isnull=True, applied_by__isnull=True)
                | Q(applied_at__isnull=False, applied_by__isnull=False),
            ),
            models.CheckConstraint(
                name="setupimport_applied_has_when",
                condition=~Q(status="applied") | Q(applied_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"
