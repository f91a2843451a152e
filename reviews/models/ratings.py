"""Division ratings and earned autonomy (DESIGN §3 Reviews, §4.5).

The criteria and the scheme of delegation are data the performance team edits in the admin; a rating is
stored once per division and month with its full explanation; the accountability review agrees the
effective position for six months.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from divisions.models import OrgUnit
from kpis.models import Domain, Tag
from pmf.formatting import format_month

POSITION_CHOICES = [(1, "1 Maximum autonomy"), (2, "2 Performing"), (3, "3 Under review"), (4, "4 Failing")]
FREQUENCY_CHOICES = [(f, f) for f in ("6-monthly", "quarterly", "bi-monthly", "monthly", "weekly")]


class Criterion(models.Model):
    """One of the four rating criteria (FIN, QUAL, PERF, POL): a selector of KPIs.

    A KPI is selected when it is in ``domain`` (if set), carries ``tag`` (if set) and, with ``key_only``,
    is a key KPI. ``counts_policy_breaches`` makes a recorded policy breach fail the criterion at key level.
    """

    code = models.SlugField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    domain = models.ForeignKey(Domain, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    key_only = models.BooleanField(default=False, help_text="Select key KPIs only")
    counts_policy_breaches = models.BooleanField(
        default=False, help_text="A policy breach recorded for the division and month fails this criterion"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "code"]
        verbose_name_plural = "criteria"

    def __str__(self) -> str:
        return f"{self.code}: {self.name}"


class PolicyBreach(models.Model):
    """A breach of trust policy or protocol by a division in a month: it fails the POL criterion."""

    division = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="policy_breaches",
        limit_choices_to={"level": "division"},
    )
    month = models.DateField(help_text="First day of the month")
    description = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-month", "division"]
        verbose_name_plural = "policy breaches"
        constraints = [models.CheckConstraint(name="policybreach_month_is_first", condition=Q(month__day=1))]

    def __str__(self) -> str:
        return f"{self.division} {format_month(self.month)}: {self.description[:60]}"


class SpecialMeasures(models.Model):
    """A period in special measures (decided by the Executive Team): the division is reviewed weekly."""

    division = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="special_measures",
        limit_choices_to={"level": "division"},
    )
    from_month = models.DateField(help_text="First month in special measures")
    to_month = models.DateField(
        null=True, blank=True, help_text="Last month in special measures; blank if current"
    )
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["division", "-from_month"]
        verbose_name_plural = "special measures"
        constraints = [
            models.CheckConstraint(
                name="specialmeasures_to_after_from",
                condition=Q(to_month__isnull=True) | Q(to_month__gte=F("from_month")),
            )
        ]

    def __str__(self) -> str:
        return f"{self.division} in special measures from {format_month(self.from_month)}"


class DivisionRating(models.Model):
    """A division's rating for one month, with everything needed to explain it.

    ``criteria`` is a list, one entry per criterion, each with whether it was assessed and its KPIs: code,
    name, key flag, value, plan, outcome and reason. It is what the division page and "what would move this
    division up" read. A month with a criterion not assessed is *not rated*: both positions are empty (no
    position, so no freedoms), and the explanation says which criteria and what to set up (DESIGN §7).
    """

    division = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="ratings")
    month = models.DateField()
    criteria = models.JSONField(default=list)
    computed_position = models.PositiveSmallIntegerField(
        choices=POSITION_CHOICES, null=True, blank=True, help_text="Empty: not rated this month"
    )
    effective_position = models.PositiveSmallIntegerField(
        choices=POSITION_CHOICES, null=True, blank=True, help_text="Empty: not rated this month"
    )
    effective_reason = models.TextField(blank=True)
    review_frequency = models.CharField(max_length=10, choices=FREQUENCY_CHOICES)
    frequency_reason = models.TextField(blank=True)
    in_special_measures = models.BooleanField(default=False)
    accountability_review = models.ForeignKey(
        "AccountabilityReview", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    explanation = models.TextField()
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["division", "month"]
        constraints = [
            models.UniqueConstraint(fields=["division", "month"], name="divisionrating_one_per_month"),
            models.CheckConstraint(
                name="divisionrating_positions_1_to_4",
                condition=Q(computed_position__gte=1, computed_position__lte=4)
                & Q(effective_position__gte=1, effective_position__lte=4),
            ),
            models.CheckConstraint(
                name="divisionrating_not_rated_has_no_position",
                condition=Q(computed_position__isnull=True, effective_position__isnull=True)
                | Q(computed_position__isnull=False, effective_position__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        if not self.is_rated:
            return f"{self.division} {format_month(self.month)}: not rated"
        return f"{self.division} {format_month(self.month)}: position {self.effective_position}"

    @property
    def is_rated(self) -> bool:
        return self.computed_position is not None


class AccountabilityReview(models.Model):
    """The 6-monthly review at which executives agree a division's effective position (ULHT §6).

    The agreed position may differ from the computed one only with a written rationale; it holds until
    ``valid_until`` unless the computed position deteriorates beyond it.
    """

    division = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="accountability_reviews",
        limit_choices_to={"level": "division"},
    )
    held_on = models.DateField()
    month = models.DateField(
        help_text="The rating month put to the review (first of the month): the agreed position holds from it"
    )
    computed_position = models.PositiveSmallIntegerField(
        choices=POSITION_CHOICES, help_text="The computed position put to the review"
    )
    agreed_position = models.PositiveSmallIntegerField(choices=POSITION_CHOICES)
    rationale = models.TextField(blank=True)
    valid_until = models.DateField()
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["division", "-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="accountabilityreview_rationale_when_differs",
                condition=Q(agreed_position=F("computed_position")) | ~Q(rationale=""),
            ),
            models.CheckConstraint(
                name="accountabilityreview_valid_after_held", condition=Q(valid_until__gt=F("held_on"))
            ),
            models.CheckConstraint(name="accountabilityreview_month_is_first", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="accountabilityreview_positions_1_to_4",
                condition=Q(agreed_position__gte=1, agreed_position__lte=4)
                & Q(computed_position__gte=1, computed_position__lte=4),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.division} review {self.held_on}: position {self.agreed_position}"


class Freedom(models.Model):
    """A freedom under the scheme of delegation, held by divisions at ``position`` (1 or 2) or better."""

    position = models.PositiveSmallIntegerField(choices=POSITION_CHOICES)
    name = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["position", "name"], name="freedom_unique_per_position"),
        ]

    def __str__(self) -> str:
        return f"Position {self.position}: {self.name}"
