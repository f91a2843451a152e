"""Performance review meetings, their terms of reference and their data packs (DESIGN §3 Reviews, §4.6).

A division's schedule is a list of ``Meeting`` rows generated from its review frequency; each meeting has
its invitees (with who is essential under the terms of reference and who attended), its minutes and
decisions, and at most one ``DataPack``: the frozen snapshot the division reads before the meeting.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from divisions.models import OrgUnit
from pmf.formatting import format_date
from pmf.roles import Role


class MeetingKind(models.TextChoices):
    PRM = "prm", "Performance review meeting"
    ACCOUNTABILITY_REVIEW = "accountability_review", "Accountability review"


class TermsOfReference(models.Model):
    """What a kind of meeting is for, who chairs it and whose absence makes it inquorate.

    ``essential_roles`` lists role codes (``divisions.Role``); an invitee holding one of them is essential.
    """

    kind = models.CharField(max_length=30, choices=MeetingKind.choices, unique=True)
    purpose = models.TextField()
    chair_role = models.CharField(max_length=30, help_text="Role code of the chair, e.g. executive")
    essential_roles = models.JSONField(default=list, help_text="Role codes whose holders must attend")
    quorum = models.TextField(blank=True)

    class Meta:
        verbose_name_plural = "terms of reference"

    def __str__(self) -> str:
        return f"Terms of reference: {self.get_kind_display()}"


class Meeting(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned"
        HELD = "held"
        CANCELLED = "cancelled"

    division = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="meetings", limit_choices_to={"level": "division"}
    )
    kind = models.CharField(max_length=30, choices=MeetingKind.choices, default=MeetingKind.PRM)
    scheduled_for = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    frequency = models.CharField(
        max_length=10, blank=True, help_text="The review frequency it was planned at"
    )
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invitees = models.ManyToManyField(settings.AUTH_USER_MODEL, through="Invitation", related_name="meetings")
    minutes = models.TextField(blank=True)
    decisions = models.TextField(blank=True)
    cancelled_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["scheduled_for", "division"]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kind", "scheduled_for"], name="meeting_one_per_division_kind_day"
            ),
            models.CheckConstraint(
                name="meeting_cancelled_has_reason",
                condition=~Q(status="cancelled") | ~Q(cancelled_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.division.name} {format_date(self.scheduled_for)}"


class Invitation(models.Model):
    """An invitee of a meeting: whether they are essential, and (once held) whether they attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, blank=True)
    is_essential = models.BooleanField(default=False)
    attended = models.BooleanField(null=True, blank=True, help_text="Blank until attendance is recorded")

    class Meta:
        ordering = ["-is_essential", "user__username"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="invitation_one_per_user")]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}"

    @property
    def role_label(self) -> str:
        """The role the invitee holds, in words ("Managing director")."""
        return Role(self.role).label if self.role in Role.values else self.role.replace("_", " ")


class DataPack(models.Model):
    """The data pack of one meeting: built as a draft, issued to the division (−7 days), circulated (−2 days).

    ``snapshot`` holds everything the pack shows, frozen when it is built; ``lines_of_enquiry`` and ``risks``
    are edited by the performance team until the pack is issued, and nothing changes after that.
    """

    meeting = models.OneToOneField(Meeting, on_delete=models.PROTECT, related_name="pack")
    period = models.DateField(help_text="The data month the pack reports (first of the month)")
    snapshot = models.JSONField()
    lines_of_enquiry = models.JSONField(default=list, help_text="[{text, source}] questions for the meeting")
    risks = models.TextField(blank=True)
    pdf = models.FileField(upload_to="packs/%Y/", blank=True)
    built_at = models.DateTimeField()
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    due_to_division = models.DateField()
    due_to_invitees = models.DateField()
    issued_to_division_at = models.DateTimeField(null=True, blank=True)
    circulated_at = models.DateTimeField(null=True, blank=True)
    issued_late = models.BooleanField(default=False)
    circulated_late = models.BooleanField(default=False)

    class Meta:
        ordering = ["-meeting__scheduled_for"]
        constraints = [
            models.CheckConstraint(name="datapack_period_is_first", condition=Q(period__day=1)),
            models.CheckConstraint(
                name="datapack_circulated_after_issue",
                condition=Q(circulated_at__isnull=True) | Q(issued_to_division_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Data pack for {self.meeting}"

    @property
    def is_issued(self) -> bool:
        return self.issued_to_division_at is not None
