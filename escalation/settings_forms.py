"""The committee form, shared by the admin and the performance team's review settings page: the meeting
day is chosen from the days the database accepts, so nothing is refused by a constraint's name."""

from __future__ import annotations

from typing import Any

from django import forms

from .models import Committee

WEEKDAYS = [(0, "Monday"), (1, "Tuesday"), (2, "Wednesday"), (3, "Thursday"), (4, "Friday")]
WEEKS = [(1, "First"), (2, "Second"), (3, "Third"), (4, "Fourth")]
COMMITTEE_WEEKS = [*WEEKS, (-1, "Last")]


class CommitteeForm(forms.ModelForm):
    meets_weekday = forms.TypedChoiceField(label="Meets on", choices=WEEKDAYS, coerce=int)
    meets_week = forms.TypedChoiceField(label="Week of the month", choices=COMMITTEE_WEEKS, coerce=int)

    class Meta:
        model = Committee
        fields = ["code", "name", "purpose", "order", "meets_weekday", "meets_week"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            self.fields[
                "code"
            ].help_text = "Cases and their history name the committee by its code, so it stays."
