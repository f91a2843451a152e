"""The catalogue's forms, shared by the admin and the performance team's setup pages.

Each form says in plain words what the database would otherwise refuse by a constraint's name. An error
put on a field also keeps Django from checking, after ``clean``, the constraints on that field, so a
reader sees one reason, not the reason and the constraint's name.
"""

from __future__ import annotations

from typing import Any

from django import forms

from divisions.words import trust_words
from pmf.periods import FinancialYear

from .models import Kpi, KpiSuite, Target, Trajectory


class OnceOnlyForm(forms.ModelForm):
    """A form for a row that exists once per key: ``_taken`` says whether another row holds the key."""

    def _taken(self, model: type[Any], **key: Any) -> bool:
        return bool(model._default_manager.filter(**key).exclude(pk=self.instance.pk).exists())


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def check_financial_year(label: str) -> str:
    """``label`` if it names a financial year (``2025/26``), else a clear refusal."""
    try:
        FinancialYear.parse(label)
    except ValueError as error:
        raise forms.ValidationError(str(error)) from error
    return label


class KpiForm(forms.ModelForm):
    """Every catalogue field of a KPI; the code is fixed once the KPI exists (uploads and history name it)."""

    class Meta:
        model = Kpi
        fields = [
            "code",
            "name",
            "definition",
            "numerator_definition",
            "denominator_definition",
            "domain",
            "objective",
            "unit",
            "direction",
            "aggregation",
            "source",
            "national_guidance_ref",
            "is_key",
            "lead_or_lag",
            "frequency",
            "reporting_level",
            "owner",
            "data_owner",
            "spc_rule_set",
            "tags",
            "plausible_min",
            "plausible_max",
            "data_is_synthetic",
            "active_from",
            "active_to",
        ]
        widgets = {
            "active_from": DATE_INPUT,
            "active_to": DATE_INPUT,
            "definition": forms.Textarea(attrs={"rows": 3}),
            "numerator_definition": forms.Textarea(attrs={"rows": 2}),
            "denominator_definition": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "code" in self.fields:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = "Uploads and history name the KPI by its code, so it stays."
        if "reporting_level" in self.fields:  # the levels as the trust names them
            words = trust_words()
            field = self.fields["reporting_level"]
            field.choices = [(code, words.level(code) if code else label) for code, label in field.choices]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        active_from, active_to = data.get("active_from"), data.get("active_to")
        if active_from and active_to and active_to < active_from:
            self.add_error(
                "active_to", "The KPI cannot end before it starts: give a date on or after its start."
            )
        low, high = data.get("plausible_min"), data.get("plausible_max")
        if low is not None and high is not None and high < low:
            self.add_error(
                "plausible_max", f"The highest plausible value ({high:g}) is below the lowest ({low:g})."
            )
        unit, aggregation = data.get("unit"), data.get("aggregation")
        if aggregation == Kpi.Aggregation.SUM and unit == Kpi.Unit.PERCENT:
            self.add_error(
                "aggregation",
                "A percentage cannot be summed from team to trust: choose Σ numerator ÷ Σ denominator.",
            )
        return data


class SuiteForm(forms.ModelForm):
    """A suite's year and status. Choosing "approved" is approving it (see ``KpiSuiteAdmin``)."""

    class Meta:
        model = KpiSuite
        fields = ["financial_year", "status"]

    def clean_financial_year(self) -> str:
        return check_financial_year(self.cleaned_data["financial_year"])

    def clean_status(self) -> str:
        status: str = self.cleaned_data["status"]
        was_approved = self.instance.pk and self.instance.status == KpiSuite.Status.APPROVED
        if was_approved and status != KpiSuite.Status.APPROVED:
            raise forms.ValidationError(
                "An approved suite is kept as it was agreed: copy it to a new draft for another year instead."
            )
        has_kpis = bool(self.instance.pk) and self.instance.entries.exists()
        if status == KpiSuite.Status.APPROVED and not was_approved and not has_kpis:
            raise forms.ValidationError(
                "A suite with no KPIs cannot be approved: save it with its KPIs first, then approve it."
            )
        return status


class TargetForm(OnceOnlyForm):
    class Meta:
        model = Target
        fields = ["kpi", "org_unit", "financial_year", "value", "tolerance", "set_by", "effective_from"]
        widgets = {"effective_from": DATE_INPUT}

    def clean_financial_year(self) -> str:
        return check_financial_year(self.cleaned_data["financial_year"])

    def clean_tolerance(self) -> float:
        tolerance: float = self.cleaned_data["tolerance"]
        if tolerance < 0:
            raise forms.ValidationError("A tolerance is a distance from the plan: it cannot be below zero.")
        return tolerance

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        year, starts = data.get("financial_year"), data.get("effective_from")
        if year and starts:
            fy = FinancialYear.parse(year)
            if not fy.first_day <= starts <= fy.last_day:
                self.add_error(
                    "effective_from", f"A {year} target takes effect within {year} (April to March)."
                )
        same = {"kpi": data.get("kpi"), "org_unit": data.get("org_unit"), "financial_year": year}
        if data.get("kpi") and year and starts and self._taken(Target, effective_from=starts, **same):
            where = data["org_unit"].name if data.get("org_unit") else "all units"
            self.add_error(
                "effective_from",
                f"{data['kpi'].code} already has a {year} target for {where} from that date: edit that one.",
            )
        return data


class TrajectoryForm(OnceOnlyForm):
    class Meta:
        model = Trajectory
        fields = ["kpi", "org_unit", "month", "value"]
        widgets = {"month": DATE_INPUT}

    def clean_month(self) -> Any:
        month = self.cleaned_data["month"]
        if month.day != 1:
            raise forms.ValidationError("A trajectory is for a whole month: give the first day of the month.")
        return month

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kpi, unit, month = data.get("kpi"), data.get("org_unit"), data.get("month")
        if kpi and unit and month and self._taken(Trajectory, kpi=kpi, org_unit=unit, month=month):
            self.add_error(
                "month", "That KPI and unit already have a trajectory for that month: edit that one."
            )
        return data
