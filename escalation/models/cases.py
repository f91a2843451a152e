"""Escalation cases and their ladder, the committees they go to, and per-KPI trigger settings (§3, §4.7)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from divisions.models import OrgUnit
from kpis.models import Kpi
from reviews.models import SpecialMeasures


class Committee(models.Model):
    """A committee cases are escalated to: FPEC, the Executive Team, the Trust Board, QSOG, the DQAG.

    It meets on the ``meets_week``-th ``meets_weekday`` of each month (Monday = 0; -1 = the last one), which
    gives the date of its next meeting on its page.
    """

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    purpose = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    meets_weekday = models.PositiveSmallIntegerField(default=3, help_text="Monday = 0 … Friday = 4")
    meets_week = models.SmallIntegerField(default=3, help_text="1 to 4, or -1 for the last in the month")

    class Meta:
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(name="committee_weekday_0_6", condition=Q(meets_weekday__lte=6)),
            models.CheckConstraint(
                name="committee_week_of_month", condition=Q(meets_week__in=[1, 2, 3, 4, -1])
            ),
        ]

    def __str__(self) -> str:
        return self.name


class TriggerSetting(models.Model):
    """A KPI's own trigger settings; a KPI without one uses the defaults of ``escalation.rules``."""

    class OpensCases(models.TextChoices):
        KEY = "key", "When the KPI is key (the default)"
        ALWAYS = "always", "Always"
        NEVER = "never", "Never"

    kpi = models.OneToOneField(Kpi, on_delete=models.CASCADE, related_name="trigger_setting")
    opens_cases = models.CharField(
        max_length=10,
        choices=OpensCases.choices,
        default=OpensCases.KEY,
        help_text="Whether a trigger firing on this KPI opens a case",
    )
    special_cause_concern_on_key = models.BooleanField(default=True)
    missed_plan_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        default=3,
        help_text="Consecutive months missing plan that open a case; blank = off",
    )
    trajectory_variance = models.BooleanField(default=True)
    trajectory_tolerance = models.FloatField(
        null=True, blank=True, help_text="How far from trajectory is too far; blank = the target's tolerance"
    )
    sustain_months = models.PositiveSmallIntegerField(
        default=3, help_text="Consecutive months meeting plan that de-escalate a case"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="triggersetting_sustain_at_least_1", condition=Q(sustain_months__gte=1)
            ),
            models.CheckConstraint(
                name="triggersetting_tolerance_not_negative",
                condition=Q(trajectory_tolerance__isnull=True) | Q(trajectory_tolerance__gte=0),
            ),
            models.CheckConstraint(
                name="triggersetting_opens_cases_known",
                condition=Q(opens_cases__in=["key", "always", "never"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Triggers for {self.kpi.code}"


# A KPI's settings, as its settings page edits them and the audit trail records them.
TRIGGER_SETTING_FIELDS = [
    "opens_cases",
    "special_cause_concern_on_key",
    "missed_plan_months",
    "trajectory_variance",
    "trajectory_tolerance",
    "sustain_months",
]


class Level(models.TextChoices):
    """The rungs of the ladder, in order."""

    PERFORMANCE_TEAM = "performance_team", "Performance team"
    FPEC = "fpec", "FPEC"
    EXECUTIVE_TEAM = "executive_team", "Executive Team"


class EscalationCase(models.Model):
    """One KPI gone wrong for one division, from the trigger that opened it until it is closed.

    ``division`` is blank for a trust-level case: a KPI reported only for the whole trust. ``evidence``
    holds the triggers and the months the rules saw at the latest evaluation; ``evaluated_month`` is that
    month, so a month already covered by a case never opens another.
    """

    class Trigger(models.TextChoices):
        SPECIAL_CAUSE_CONCERN = "special_cause_concern", "Special-cause concern on a key KPI"
        MISSED_PLAN = "missed_plan", "Plan missed for consecutive months"
        TRAJECTORY_VARIANCE = "trajectory_variance", "Variance from trajectory beyond tolerance"
        MANUAL = "manual", "Raised by hand"

    class Status(models.TextChoices):
        OPEN = "open"
        DE_ESCALATED = "de_escalated", "De-escalated (recovered)"
        CLOSED = "closed"

    class Decision(models.TextChoices):
        NONE = "", "None yet"
        AUDIT = "audit", "Audit"
        SPECIAL_MEASURES = "special_measures", "Special measures"

    reference = models.SlugField(
        max_length=120, unique=True, help_text="Unit, KPI and opening month, e.g. RWD-MED-AE-4H-2025-07"
    )
    division = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escalation_cases",
        limit_choices_to={"level": "division"},
    )
    kpi = models.ForeignKey(
        Kpi, null=True, blank=True, on_delete=models.PROTECT, related_name="escalation_cases"
    )
    trigger = models.CharField(max_length=30, choices=Trigger.choices)
    level = models.CharField(max_length=20, choices=Level.choices, default=Level.PERFORMANCE_TEAM)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    committee = models.ForeignKey(
        Committee, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    opened_at = models.DateTimeField(default=timezone.now)
    opened_month = models.DateField(help_text="The data month that opened the case")
    evaluated_month = models.DateField(help_text="The latest data month the rules evaluated")
    closed_at = models.DateTimeField(null=True, blank=True)
    exit_criteria = models.TextField(blank=True)
    evidence = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True, help_text="What the rules said at the latest evaluation")
    months_meeting_plan = models.PositiveSmallIntegerField(default=0)
    plan_due = models.DateField(help_text="The 10th working day after the case opened")
    plan_agreed_on = models.DateField(null=True, blank=True)
    action_plan = models.TextField(blank=True)
    decision = models.CharField(max_length=20, choices=Decision.choices, default=Decision.NONE, blank=True)
    special_measures = models.ForeignKey(
        SpecialMeasures, null=True, blank=True, on_delete=models.PROTECT, related_name="escalation_cases"
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "level"])]
        constraints = [
            models.UniqueConstraint(
                fields=["division", "kpi"],
                condition=Q(status="open", division__isnull=False, kpi__isnull=False),
                name="escalationcase_one_open_per_division_kpi",
            ),
            models.UniqueConstraint(
                fields=["kpi"],
                condition=Q(status="open", division__isnull=True, kpi__isnull=False),
                name="escalationcase_one_open_trust_case_per_kpi",
            ),
            models.CheckConstraint(
                name="escalationcase_closed_at_when_closed",
                condition=Q(status="closed", closed_at__isnull=False)
                | (~Q(status="closed") & Q(closed_at__isnull=True)),
            ),
            models.CheckConstraint(
                name="escalationcase_months_are_first_day",
                condition=Q(opened_month__day=1, evaluated_month__day=1),
            ),
            models.CheckConstraint(
                name="escalationcase_special_measures_decided",
                condition=Q(special_measures__isnull=True) | Q(decision="special_measures"),
            ),
        ]

    def __str__(self) -> str:
        where = self.division.name if self.division else "Trust"
        what = self.kpi.code if self.kpi else "no KPI"
        return f"Case {self.pk}: {what} for {where}"


class EscalationEvent(models.Model):
    """One step of a case: who (blank for the system), when, and why."""

    class Kind(models.TextChoices):
        RAISED = "raised"
        PLAN_DUE = "plan_due", "Action plan overdue"
        PLAN_AGREED = "plan_agreed", "Action plan agreed"
        ESCALATED = "escalated"
        AUDIT = "audit", "Audit decided"
        SPECIAL_MEASURES = "special_measures", "Special measures decided"
        DE_ESCALATED = "de_escalated", "De-escalated"
        CLOSED = "closed"

    case = models.ForeignKey(EscalationCase, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    note = models.TextField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.kind} {self.at:%Y-%m-%d}"
