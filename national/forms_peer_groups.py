"""The peer groups page's form: what a stored group is made of; ``peer_groups.save_peer_group`` checks it."""

from __future__ import annotations

from django import forms

from .models import PeerGroup


class PeerGroupForm(forms.Form):
    name = forms.CharField(max_length=120, help_text="As the benchmarking page will offer it")
    kind = forms.ChoiceField(choices=PeerGroup.Kind.choices, initial=PeerGroup.Kind.HAND_PICKED)
    criterion = forms.CharField(
        label="Type, region or ICB code",
        max_length=40,
        required=False,
        help_text="For a type: acute, ambulance, mental_health, community or specialist; for a region or an "
        "ICB, its code (e.g. Y60, QJM). Leave blank for a hand-picked group.",
    )
    members = forms.CharField(
        label="ODS codes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="A hand-picked group's trusts, separated by commas, spaces or lines. This trust is always "
        "ranked with its group.",
    )
