"""The Board's monthly Integrated Performance Report (DESIGN §3 Reviews, §4.8)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from pmf.formatting import format_month


class IprReport(models.Model):
    """One month's IPR: drafted by the performance team, approved by an executive, then published.

    Publishing freezes ``snapshot`` — the JSON of everything the report shows — so what the Board saw is
    shown again even after the figures are restated. ``pdf`` is the board pack built from the same content.
    """

    class Status(models.TextChoices):
        DRAFT = "draft"
        APPROVED = "approved"
        PUBLISHED = "published"

    month = models.DateField(unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    executive_summary = models.TextField(blank=True)
    lead_director = models.CharField(max_length=200, blank=True, help_text="The executive who presents it")
    recommendation = models.TextField(blank=True, help_text="What the Board is asked to do")
    board_meeting = models.DateField(
        null=True, blank=True, help_text="The day of the Trust Board meeting it goes to, when known"
    )
    snapshot = models.JSONField(null=True, blank=True, help_text="Everything shown, frozen at publication")
    pdf = models.FileField(upload_to="ipr/%Y/", blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = "IPR"
        verbose_name_plural = "IPRs"
        constraints = [
            models.CheckConstraint(name="iprreport_month_is_first_day", condition=Q(month__day=1)),
            models.CheckConstraint(
                name="iprreport_approved_at_and_by_together",
                condition=Q(approved_at__isnull=True, approved_by__isnull=True)
                | Q(approved_at__isnull=False, approved_by__isnull=False),
            ),
            models.CheckConstraint(
                name="iprreport_published_at_and_by_together",
                condition=Q(published_at__isnull=True, published_by__isnull=True)
                | Q(published_at__isnull=False, published_by__isnull=False),
            ),
            models.CheckConstraint(
                name="iprreport_draft_is_not_approved",
                condition=~Q(status="draft") | Q(approved_at__isnull=True, published_at__isnull=True),
            ),
            models.CheckConstraint(
                name="iprreport_approved_has_approver",
                condition=~Q(status__in=["approved", "published"]) | Q(approved_at__isnull=False),
            ),
            models.CheckConstraint(
                name="iprreport_published_has_snapshot",
                condition=~Q(status="published") | Q(published_at__isnull=False, snapshot__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"IPR {format_month(self.month)} ({self.status})"


class IprContentVersion(models.Model):
    """A row added whenever anything an IPR's content is built from changes
    (`reviews.ipr.store.forget_ipr_content`): the newest row's id is the current version. Rows are only
    ever added, so writers never wait for one another on it."""

    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "IPR content version"

    def __str__(self) -> str:
        return f"IPR content version {self.pk} ({self.changed_at:%Y-%m-%d %H:%M})"


class IprDraftContent(models.Model):
    """A month's live IPR content as last built (`reviews.ipr.store`), with the version it was built at: the
    pages of a draft read it instead of building it again. ``scope`` is blank for the trust's report and a
    division's code for that division's dashboard scorecard. ``figures`` holds the exception charts by KPI
    code, apart, so the pages that show no chart do not read them."""

    month = models.DateField()
    scope = models.CharField(max_length=50, blank=True, help_text="Blank: the trust; else a division's code")
    version = models.PositiveBigIntegerField()
    content = models.JSONField()
    figures = models.JSONField(default=dict)
    built_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "IPR draft content"
        verbose_name_plural = "IPR draft contents"
        constraints = [
            models.UniqueConstraint(fields=["month", "scope"], name="iprdraftcontent_one_per_scope")
        ]

    def __str__(self) -> str:
        return f"IPR content {format_month(self.month)} {self.scope or 'trust'} (version {self.version})"
