"""The forms of individual scorecards: they collect input; ``scorecards.services`` does the work."""

from __future__ import annotations

from typing import Any

from django import forms

from kpis.catalogue_forms import DATE_INPUT
from kpis.models import Kpi
from pmf.models import User
from reviews.models import OPEN_STATUSES, Action
from strategy.models import Priority

from .models import ObjectiveStatus


class ObjectiveForm(forms.Form):
    title = forms.CharField(max_length=200)
    detail = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What success looks like by the year's end",
    )
    kpi = forms.ModelChoiceField(queryset=Kpi.objects.none(), required=False, label="KPI")
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(), required=False, label="Board priority"
    )
    action = forms.ModelChoiceField(queryset=Action.objects.none(), required=False, label="Action")
    due_date = forms.DateField(required=False, widget=DATE_INPUT, label="Due by")

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set("kpi", Kpi.objects.filter(active_to__isnull=True).order_by("name"))
        self._set("priority", Priority.objects.filter(year=year).order_by("title"))
        self._set(
            "action",
            Action.objects.filter(status__in=OPEN_STATUSES)
            .select_related("division")
            .order_by("division__name", "title"),
        )

    def _set(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("kpi") or data.get("priority") or data.get("action")):
            raise forms.ValidationError("Link the objective to a KPI, a Board priority or an action.")
        return data


class ProgressForm(forms.Form):
    status = forms.ChoiceField(choices=ObjectiveStatus.choices)
    percent_complete = forms.IntegerField(
        required=False, min_value=0, max_value=100, label="Per cent complete"
    )
    note = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), label="How it is going", max_length=4000
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("percent_complete") is None and not (data.get("note") or "").strip():
            raise forms.ValidationError("Give the percentage complete or say how it is going.")
        return data


class LineManagerForm(forms.Form):
    person = forms.ModelChoiceField(queryset=User.objects.none())
    manager = forms.ModelChoiceField(
        queryset=User.objects.none(), required=False, label="Line manager", help_text="Blank: nobody"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
        for name in ("person", "manager"):
            field = self.fields[name]
            assert isinstance(field, forms.ModelChoiceField)
            field.queryset = people
