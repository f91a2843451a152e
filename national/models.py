"""Every organisation's published values, kept as reference data, and the named peer groups to rank among.

A ``PeerValue`` is never a unit of this trust: the trust's own figures are measurements of its organisation
tree (``kpis``); these rows are what NHS England published for every organisation, this trust included, so
that the trust can be placed among its peers (DESIGN §8).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q


class PeerValue(models.Model):
    """One organisation's published value of one national KPI for one month (and split, '' for the whole)."""

    org_code = models.CharField("ODS code", max_length=10)
    org_name = models.CharField(max_length=200, blank=True)
    kpi_code = models.CharField("national KPI code", max_length=40)
    month = models.DateField(help_text="The first day of the month")
    split_kind = models.CharField(max_length=40, blank=True, help_text="'' for the whole organisation")
    split_code = models.CharField(max_length=60, blank=True)
    split_name = models.CharField(max_length=200, blank=True)
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    value = models.FloatField(help_text="In the national catalogue's unit, by its definition")
    source_file = models.CharField(max_length=255)
    format = models.CharField(max_length=40, help_text="The publication format the file was read as")
    publication = models.CharField(max_length=200)
    published_on = models.DateField(null=True, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_code", "kpi_code", "month", "split_kind", "split_code"],
                name="peervalue_one_per_org_kpi_month_split",
            ),
            models.CheckConstraint(
                name="peervalue_split_kind_and_code_together",
                condition=Q(split_kind="", split_code="") | (~Q(split_kind="") & ~Q(split_code="")),
            ),
        ]
        indexes = [models.Index(fields=["kpi_code", "month", "split_kind"], name="peervalue_kpi_month")]

    def __str__(self) -> str:
        split = f" {self.split_kind} {self.split_code}" if self.split_kind else ""
        return f"{self.org_code} {self.kpi_code} {self.month:%Y-%m}{split}: {self.value}"


class PeerGroup(models.Model):
    """A named set of organisations to rank the trust among.

    A kind other than hand-picked names its criterion (a trust type, an NHS England region code or an ICB
    code) and takes its members from the ODS reference; a hand-picked group lists its members' ODS codes.
    The trust itself is always ranked with its group, whether listed or not.
    """

    class Kind(models.TextChoices):
        TRUST_TYPE = "trust_type", "Same trust type in England"
        REGION = "region", "NHS England region"
        ICB = "icb", "Integrated care board"
        HAND_PICKED = "hand_picked", "Hand-picked"

    name = models.CharField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    criterion = models.CharField(
        max_length=40, blank=True, help_text="The trust type, region code or ICB code; blank when hand-picked"
    )
    members = models.JSONField(default=list, blank=True, help_text="ODS codes of a hand-picked group")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                name="peergroup_criterion_unless_hand_picked",
                condition=Q(kind="hand_picked", criterion="") | (~Q(kind="hand_picked") & ~Q(criterion="")),
            ),
        ]

    def __str__(self) -> str:
        return self.name
