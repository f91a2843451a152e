"""Forms for meetings, packs and actions: they collect input; the services do the work."""

from django import forms

from kpis.models import Kpi, StrategicObjective

from .models import ActionStatus


class RecordMeetingForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(coerce=int, required=False, widget=forms.CheckboxSelectMultiple)
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    decisions = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args, invitations=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (i.user_id, f"{i.user} ({i.role_label}{', essential' if i.is_essential else ''})")
            for i in invitations
        ]


class PackEditForm(forms.Form):
    lines = forms.CharField(
        label="Key lines of enquiry (one per line)", widget=forms.Textarea(attrs={"rows": 10}), required=False
    )
    risks = forms.CharField(label="Key risks", widget=forms.Textarea(attrs={"rows": 4}), required=False)


class ActionForm(forms.Form):
    title = forms.CharField(max_length=200)
    owner = forms.CharField(max_length=200)
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    detail = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    kpis = forms.ModelMultipleChoiceField(queryset=Kpi.objects.order_by("code"), required=False, label="KPIs")
    objective = forms.ModelChoiceField(queryset=StrategicObjective.objects.all(), required=False)
    escalate_to_fpec = forms.BooleanField(required=False, label="Escalate to FPEC")


class ActionUpdateForm(forms.Form):
    note = forms.CharField(label="Update", widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(choices=ActionStatus.choices)


class ActionFilterForm(forms.Form):
    division = forms.CharField(required=False)
    status = forms.ChoiceField(
        choices=[("", "Any"), ("overdue", "Overdue"), *ActionStatus.choices], required=False
    )
    fpec = forms.BooleanField(required=False, label="Flagged for FPEC")
