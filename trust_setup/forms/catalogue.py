"""Forms of the catalogue pages: a KPI (the admin's form), copying a suite, choosing a draft suite's KPIs."""

from __future__ import annotations

from django import forms

from kpis.catalogue_forms import KpiForm, check_financial_year
from kpis.models import Kpi, KpiSuite

__all__ = ["CopySuiteForm", "KpiForm", "SuiteKpisForm"]


class CopySuiteForm(forms.Form):
    source = forms.ModelChoiceField(
        label="Copy the suite of", queryset=KpiSuite.objects.all(), to_field_name="financial_year"
    )
    financial_year = forms.CharField(label="to the financial year", max_length=7, help_text="e.g. 2026/27")

    def clean_financial_year(self) -> str:
        return check_financial_year(self.cleaned_data["financial_year"].strip())


class SuiteKpisForm(forms.Form):
    """Which KPIs a draft suite holds, and which of them are key that year."""

    kpis = forms.ModelMultipleChoiceField(
        label="KPIs in the suite",
        queryset=Kpi.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    key = forms.ModelMultipleChoiceField(
        label="Key KPIs",
        queryset=Kpi.objects.order_by("code"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, object]:
        super().clean()
        data = self.cleaned_data
        chosen, key = set(data.get("kpis") or []), set(data.get("key") or [])
        if key - chosen:
            names = ", ".join(sorted(kpi.code for kpi in key - chosen))
            raise forms.ValidationError(f"A key KPI must be in the suite: {names}.")
        return data
