from __future__ import annotations

from django import forms

from headway.roadmaps.models import LaneBy, Quadrant, Ring, RoadmapKind


class RoadmapForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=RoadmapKind.choices, initial=RoadmapKind.TIMELINE)
    lane_by = forms.ChoiceField(
        label="Lanes by",
        choices=LaneBy.choices,
        initial=LaneBy.INITIATIVE,
        help_text="A technology roadmap always has its layers as lanes.",
    )
    public = forms.BooleanField(required=False, label="Show on the public portal")


class MoveForm(forms.Form):
    start = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))


class SnapshotForm(forms.Form):
    name = forms.CharField(max_length=120, label="Snapshot name")


class ShareForm(forms.Form):
    expires = forms.DateField(
        required=False,
        label="Expires on",
        help_text="Leave empty for a link that works until it is revoked.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class BlipForm(forms.Form):
    name = forms.CharField(max_length=120)
    quadrant = forms.ChoiceField(choices=Quadrant.choices)
    ring = forms.ChoiceField(choices=Ring.choices)
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class RingForm(forms.Form):
    ring = forms.ChoiceField(choices=Ring.choices)
