"""The organisation tree and who holds which role where."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

# The roles are the kernel's (the access rules read them); they are named here too, as the apps read them.
from pmf.roles import TRIUMVIRATE_ROLES as TRIUMVIRATE_ROLES
from pmf.roles import UNIT_MANAGER_ROLES as UNIT_MANAGER_ROLES
from pmf.roles import Role as Role

from .review_frequencies import default_review_frequencies, review_frequency_problems


class Level(models.TextChoices):
    TRUST = "trust", "Trust"
    DIVISION = "division", "Division"
    SERVICE = "service", "Service"
    TEAM = "team", "Team"


LEVEL_DEPTH = {Level.TRUST: 0, Level.DIVISION: 1, Level.SERVICE: 2, Level.TEAM: 3}


class OrgUnit(models.Model):
    """A trust, division, service or team.

    ``parent`` is the parent today. When a unit moves between financial years the
    move is recorded in ``OrgUnitMove`` so that each month keeps the structure it had.
    """

    code = models.CharField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    active_from = models.DateField(default=date(2000, 4, 1))
    active_to = models.DateField(
        null=True, blank=True, help_text="Last day the unit existed; blank if current"
    )
    is_synthetic = models.BooleanField(
        default=False, help_text="Invented for the demonstration: not a real part of the organisation"
    )

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="orgunit_only_trust_has_no_parent",
                condition=(Q(level="trust") & Q(parent__isnull=True))
                | (~Q(level="trust") & Q(parent__isnull=False)),
            ),
            models.CheckConstraint(
                name="orgunit_active_to_after_from",
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_active_in(self, month: date) -> bool:
        return self.active_from <= month and (self.active_to is None or self.active_to >= month)


class OrgUnitMove(models.Model):
    """A unit re-parented from one parent to another, effective from a date (normally 1 April)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="moves")
    from_parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    to_parent = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    effective_from = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["unit", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "effective_from"], name="orgunitmove_one_per_unit_date"),
            models.CheckConstraint(
                name="orgunitmove_changes_parent", condition=~Q(from_parent=F("to_parent"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} moved to {self.to_parent} from {self.effective_from}"


class LevelLabel(models.Model):
    """What a trust calls each level: ULHT says Specialty and Ward, YAS says Service line and Team."""

    trust = models.ForeignKey(
        OrgUnit,
        on_delete=models.CASCADE,
        related_name="level_labels",
        limit_choices_to={"level": Level.TRUST},
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    singular = models.CharField(max_length=60)
    plural = models.CharField(max_length=60)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["trust", "level"], name="levellabel_one_per_trust_level")
        ]

    def __str__(self) -> str:
        return f"{self.trust.code}: {self.level} = {self.singular}"


class TrustType(models.TextChoices):
    """The kind of NHS trust, which sets its default words and its national peers (DESIGN §7, §8)."""

    ACUTE = "acute", "Acute"
    AMBULANCE = "ambulance", "Ambulance"
    MENTAL_HEALTH = "mental_health", "Mental health"
    COMMUNITY = "community", "Community"
    SPECIALIST = "specialist", "Specialist"


def validate_review_frequencies(value: object) -> None:
    """A review-frequency table: each position 1 to 4 once, a frequency PMF plans, worse never less often."""
    if problems := review_frequency_problems(value):
        raise ValidationError(problems)


class TrustProfile(models.Model):
    """The one NHS trust this deployment serves, as the national reference (ODS) knows it, and its PRM slot.

    ``start_trust`` creates it from the ODS reference shipped in ``fixtures/ods/``; the performance team
    edits the slot. PRMs fall on ``prm_weekday`` (0 = Monday) of the ``prm_week_of_month``-th week.
    ``review_frequencies`` is how often a division at each position is reviewed
    (``divisions.review_frequencies``).
    """

    trust = models.OneToOneField(
        OrgUnit, on_delete=models.CASCADE, related_name="profile", limit_choices_to={"level": Level.TRUST}
    )
    ods_code = models.CharField("ODS code", max_length=10, unique=True)
    trust_type = models.CharField(max_length=20, choices=TrustType.choices, default=TrustType.ACUTE)
    region_code = models.CharField(max_length=10, blank=True)
    region_name = models.CharField(max_length=100, blank=True)
    icb_code = models.CharField("ICB code", max_length=10, blank=True)
    icb_name = models.CharField("ICB name", max_length=200, blank=True)
    prm_weekday = models.PositiveSmallIntegerField(
        "PRM weekday", default=1, help_text="0 = Monday … 4 = Friday"
    )
    prm_week_of_month = models.PositiveSmallIntegerField("PRM week of the month", default=2)
    position_names = models.JSONField(
        default=dict,
        blank=True,
        help_text='What the trust calls each rating position, e.g. {"1": "Performing (earned freedoms)"}; '
        "a position left out keeps its name from DESIGN §4.5",
    )
    review_frequencies = models.JSONField(
        default=default_review_frequencies,
        validators=[validate_review_frequencies],
        help_text='How often a division at each position is reviewed, e.g. {"1": "6-monthly", "2": '
        '"quarterly", "3": "monthly", "4": "monthly"}; a worse position at least as often as a better one',
    )

    class Meta:
        constraints = [
            models.CheckConstraint(name="trustprofile_weekday_is_a_weekday", condition=Q(prm_weekday__lte=4)),
            models.CheckConstraint(
                name="trustprofile_week_of_month_1_to_4",
                condition=Q(prm_week_of_month__gte=1) & Q(prm_week_of_month__lte=4),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trust.name} ({self.ods_code})"


class SpecialtyDivision(models.Model):
    """Which division a national split belongs to: a treatment function (RTT, DM01 test) or a tumour type.

    ``kind`` says which national classification ``code`` comes from, e.g. ``treatment_function`` with
    code ``C_110`` (Trauma and orthopaedics), or ``cancer_type`` with code ``Breast``. National imports place
    such splits at division level through this map; anything unmapped goes at trust level.
    """

    kind = models.CharField(max_length=30)
    code = models.CharField(max_length=60)
    name = models.CharField(max_length=200, blank=True)
    division = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        related_name="specialty_splits",
        limit_choices_to={"level": Level.DIVISION},
    )

    class Meta:
        ordering = ["kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "code"], name="specialtydivision_one_division_per_code")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.code} → {self.division.code}"


class RoleAssignment(models.Model):
    """A user holds a role, trust-wide (no unit), for one division (the triumvirate) or for one service or
    team (its manager), between two dates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(max_length=30, choices=Role.choices)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="roles"
    )
    start = models.DateField(default=date.today)
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["user", "role"]
        constraints = [
            models.CheckConstraint(
                name="roleassignment_triumvirate_needs_unit",
                condition=~Q(role__in=[r.value for r in TRIUMVIRATE_ROLES]) | Q(org_unit__isnull=False),
            ),
            models.CheckConstraint(
                name="roleassignment_unit_manager_needs_unit",
                condition=~Q(role__in=list(UNIT_MANAGER_ROLES)) | Q(org_unit__isnull=False),
            ),
            models.CheckConstraint(
                name="roleassignment_end_after_start", condition=Q(end__isnull=True) | Q(end__gte=F("start"))
            ),
            models.UniqueConstraint(
                fields=["user", "role", "org_unit", "start"], name="roleassignment_unique_per_start"
            ),
        ]

    def __str__(self) -> str:
        where = f" for {self.org_unit}" if self.org_unit_id else ""
        return f"{self.user} as {self.get_role_display()}{where}"
