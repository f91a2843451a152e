"""The form the performance team records a relationship with, from the list, a pair's page or a suggestion."""

from __future__ import annotations

from typing import Any

from django import forms

from kpis.models import Kpi, KpiRelationship
from kpis.models.relationships import MAX_DELAY_MONTHS


class RelationshipForm(forms.Form):
    lead = forms.ModelChoiceField(
        queryset=Kpi.objects.order_by("code"), to_field_name="code", label="Lead KPI (moves first)"
    )
    lag = forms.ModelChoiceField(
        queryset=Kpi.objects.order_by("code"), to_field_name="code", label="Lag KPI (follows)"
    )
    delay_months = forms.IntegerField(
        min_value=0, max_value=MAX_DELAY_MONTHS, initial=0, label="Expected delay in months (0 to 12)"
    )
    rationale = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Rationale",
        help_text="Why the lead is expected to move first, and what the data shows. A correlation is not "
        "evidence of cause.",
    )
    status = forms.ChoiceField(
        choices=KpiRelationship.Status.choices, initial=KpiRelationship.Status.ACCEPTED
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        lead, lag = cleaned.get("lead"), cleaned.get("lag")
        if lead is not None and lead == lag:
            raise forms.ValidationError("A KPI cannot lead itself: choose two different KPIs.")
        return cleaned
