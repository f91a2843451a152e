from datetime import date
from typing import Any

from django import forms

from divisions.models import Level, OrgUnit
from kpis.models import Kpi
from pmf.words import TrustWords

from .models import DataQualityIssue, EscalationCase, TriggerSetting
from .models.cases import TRIGGER_SETTING_FIELDS

NOTE = forms.CharField(label="Why", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class ActionPlanForm(forms.Form):
    agreed_on = forms.DateField(
        label="Agreed on", initial=date.today, widget=forms.DateInput(attrs={"type": "date"})
    )
    plan = forms.CharField(label="The action plan", max_length=8000, widget=forms.Textarea(attrs={"rows": 4}))


class NoteForm(forms.Form):
    note = NOTE


class EscalateForm(forms.Form):
    note = NOTE
    critical = forms.BooleanField(
        label="A critical failure (it goes to the committee whatever the action plan)", required=False
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            (EscalationCase.Decision.AUDIT, "Audit"),
            (EscalationCase.Decision.SPECIAL_MEASURES, "Special measures"),
        ],
    )
    note = NOTE
    # Set only by the confirmation page that special measures go through first.
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RaiseIssueForm(forms.Form):
    description = forms.CharField(label="Issue", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    owner = forms.CharField(label="Owner", max_length=200, required=False)
    kpi_code = forms.CharField(label="KPI code", max_length=60, required=False)
    unit_code = forms.CharField(label="Unit code", max_length=40, required=False)
    month = forms.CharField(label="Month (YYYY-MM)", max_length=7, required=False)


class UpdateIssueForm(forms.Form):
    status = forms.ChoiceField(label="Status", choices=DataQualityIssue.Status.choices)
    owner = forms.CharField(label="Owner", max_length=200, required=False)
    resolution = forms.CharField(label="Resolution", max_length=4000, required=False)
    escalate_to_dqag = forms.BooleanField(label="Escalate to the DQAG", required=False)


class RaiseCaseForm(forms.Form):
    division = forms.ModelChoiceField(
        label="Division", queryset=OrgUnit.objects.filter(level=Level.DIVISION).order_by("name")
    )
    kpi_code = forms.CharField(
        label="KPI code", max_length=60, required=False, help_text="Blank for a concern that is not one KPI."
    )
    reason = forms.CharField(label="Why", max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
    critical = forms.BooleanField(label="A critical failure: take it straight to FPEC", required=False)

    def __init__(self, *args: Any, words: TrustWords, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["division"].label = words.division

    def clean_kpi_code(self) -> Kpi | None:
        code = self.cleaned_data["kpi_code"].strip()
        if not code:
            return None
        kpi = Kpi.objects.filter(code=code).first()
        if kpi is None:
            raise forms.ValidationError(f"There is no KPI with the code {code!r}.")
        return kpi


class TriggerSettingForm(forms.ModelForm):
    class Meta:
        model = TriggerSetting
        fields = TRIGGER_SETTING_FIELDS
        labels = {
            "opens_cases": "A trigger opens a case",
            "special_cause_concern_on_key": "Special-cause concern on the latest point is a trigger",
            "missed_plan_months": "Months of missed plan in a row that trigger",
            "trajectory_variance": "A variance from trajectory beyond tolerance is a trigger",
            "trajectory_tolerance": "Tolerance from trajectory",
            "sustain_months": "Months meeting plan in a row that de-escalate a case",
        }
        widgets = {"opens_cases": forms.RadioSelect}
