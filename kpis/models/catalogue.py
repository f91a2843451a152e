"""The KPI catalogue: domains, strategic objectives, KPIs and the suite agreed each year."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from divisions.models import Level


class Domain(models.Model):
    """A balanced-scorecard quadrant: Finance, Workforce, Quality, Operational (configurable)."""

    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class StrategicObjective(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A label that selects KPIs, e.g. ``policy`` for the rating's policy-adherence criterion."""

    slug = models.SlugField(max_length=40, unique=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class Direction(models.TextChoices):
    HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
    LOWER_IS_BETTER = "lower_is_better", "Lower is better"
    NEUTRAL = "neutral", "Neither (no direction)"


class Kpi(models.Model):
    class Unit(models.TextChoices):
        PERCENT = "percent", "Per cent"
        COUNT = "count", "Count"
        MINUTES = "minutes", "Minutes"
        SECONDS = "seconds", "Seconds"
        RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
        CURRENCY = "currency", "£ thousands"
        RATIO = "ratio", "Ratio"

    class Aggregation(models.TextChoices):
        SUM = "sum", "Sum of numerators"
        RATIO = "ratio", "Σ numerator ÷ Σ denominator"
        MEAN_WEIGHTED = "mean_weighted", "Weighted mean (Σ numerator ÷ Σ denominator)"
        NONE = "none", "Not aggregable (submitted at every level)"

    class Source(models.TextChoices):
        NATIONAL = "national", "National"
        CONTRACTUAL = "contractual", "Contractual"
        CQUIN = "cquin", "CQUIN"
        LOCAL = "local", "Local"

    class LeadOrLag(models.TextChoices):
        LEAD = "lead", "Lead"
        LAG = "lag", "Lag"

    class RuleSet(models.TextChoices):
        MDC = "mdc", "Making Data Count (NHS England v5.0)"
        PLOTTHEDOTS = "plotthedots", "NHSRplotthedots 0.2.2"

    code = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    definition = models.TextField(blank=True)
    numerator_definition = models.TextField(blank=True)
    denominator_definition = models.TextField(blank=True)
    domain = models.ForeignKey(Domain, on_delete=models.PROTECT, related_name="kpis")
    objective = models.ForeignKey(
        StrategicObjective, null=True, blank=True, on_delete=models.SET_NULL, related_name="kpis"
    )
    unit = models.CharField(max_length=20, choices=Unit.choices)
    direction = models.CharField(max_length=20, choices=Direction.choices)
    aggregation = models.CharField(max_length=20, choices=Aggregation.choices)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.LOCAL)
    national_guidance_ref = models.CharField(max_length=300, blank=True)
    national_code = models.CharField(
        max_length=40,
        blank=True,
        help_text="The national catalogue's code (e.g. AE_4HR_ALL) whose published figures this KPI takes",
    )
    is_key = models.BooleanField(default=False)
    lead_or_lag = models.CharField(max_length=10, choices=LeadOrLag.choices, default=LeadOrLag.LAG)
    frequency = models.CharField(max_length=20, default="monthly")
    # DESIGN §7 "each KPI's reporting level": the upload template lists the KPI for every unit at this level
    # active that month. Blank: inferred, from the levels it was reported at lately, or (never reported) the
    # units at the bottom of the tree for a KPI that rolls up and every unit for one that cannot.
    reporting_level = models.CharField(
        max_length=10,
        choices=Level.choices,
        blank=True,
        help_text="The level whose units submit it; blank: the levels it was reported at lately",
    )
    owner = models.CharField(max_length=200, blank=True, help_text="Executive lead")
    data_owner = models.CharField(max_length=200, blank=True)
    spc_rule_set = models.CharField(max_length=20, choices=RuleSet.choices, default=RuleSet.MDC)
    tags = models.ManyToManyField(Tag, blank=True, related_name="kpis")
    data_is_synthetic = models.BooleanField(
        default=False, help_text="The data for this KPI is generated for demonstration, not published figures"
    )
    # The upload check refuses a value outside this range; empty means the unit's own range (a percentage 0 to
    # 100, a count not below zero), which a KPI such as bed occupancy or activity against a baseline outgrows.
    plausible_min = models.FloatField(
        null=True,
        blank=True,
        help_text="Lowest value an upload may give; empty: the unit's own (0 for a count)",
    )
    plausible_max = models.FloatField(
        null=True,
        blank=True,
        help_text="Highest value an upload may give; empty: the unit's own (100 for a percentage)",
    )
    active_from = models.DateField(default=date(2000, 4, 1))
    active_to = models.DateField(null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[tags])

    class Meta:
        ordering = ["domain__order", "code"]
        verbose_name = "KPI"
        constraints = [
            models.CheckConstraint(
                name="kpi_active_to_after_from",
                condition=Q(active_to__isnull=True) | Q(active_to__gte=F("active_from")),
            ),
            models.UniqueConstraint(
                fields=["national_code"], condition=~Q(national_code=""), name="kpi_national_code_once"
            ),
            models.CheckConstraint(
                name="kpi_plausible_min_not_above_max",
                condition=Q(plausible_min__isnull=True)
                | Q(plausible_max__isnull=True)
                | Q(plausible_min__lte=F("plausible_max")),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def scale(self) -> float:
        """What Σnumerator ÷ Σdenominator is multiplied by to give the value."""
        scales: dict[str, float] = {self.Unit.PERCENT: 100.0, self.Unit.RATE_PER_1000: 1000.0}
        return scales.get(self.unit, 1.0)


class KpiSuite(models.Model):
    """The KPIs in force for one financial year, agreed once and then kept."""

    class Status(models.TextChoices):
        DRAFT = "draft"
        APPROVED = "approved"

    financial_year = models.CharField(max_length=7, unique=True, help_text="e.g. 2025/26")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kpis = models.ManyToManyField(Kpi, through="KpiSuiteEntry", related_name="suites")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year"]
        verbose_name = "KPI suite"
        constraints = [
            models.CheckConstraint(
                name="kpisuite_approved_at_and_by_together",
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
            ),
            models.CheckConstraint(
                name="kpisuite_approved_has_approver",
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"KPI suite {self.financial_year} ({self.status})"


class KpiSuiteEntry(models.Model):
    """A KPI as agreed for one year: its definition and key flag are kept as they were."""

    suite = models.ForeignKey(KpiSuite, on_delete=models.CASCADE, related_name="entries")
    kpi = models.ForeignKey(Kpi, on_delete=models.PROTECT, related_name="suite_entries")
    is_key = models.BooleanField(default=False)
    definition = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["suite", "kpi"]
        verbose_name = "KPI in a suite"
        verbose_name_plural = "KPIs in a suite"
        constraints = [models.UniqueConstraint(fields=["suite", "kpi"], name="kpisuiteentry_once_per_suite")]

    def __str__(self) -> str:
        return f"{self.kpi} in {self.suite.financial_year}"
