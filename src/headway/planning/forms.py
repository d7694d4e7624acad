"""Forms of the planning pages. They only parse; the rules live in planning.services."""

from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import Membership
from headway.planning import scoring
from headway.planning.models import (
    Feature,
    FeatureKind,
    FeatureStatus,
    Kano,
    MoSCoW,
    NoteKind,
    RiskStatus,
    StoryStatus,
    Team,
)
from headway.planning.services import GROUPS, TRANSITIONS
from headway.products.models import Component
from headway.releases.models import Release
from headway.strategy.models import Initiative

BLANK = [("", "—")]
YES_NO = [("", "—"), ("true", "Yes"), ("false", "No")]

#: API field names of framework inputs ("rice.impact") → the form field ("rice_impact").
FIELD_OF_ERROR = {
    f"{group}.{key}": field for group, pairs in GROUPS.items() for key, field in pairs
}

#: Form fields shown, in order, grouped under a heading (framework inputs share a fieldset).
SECTIONS: list[tuple[str, list[str]]] = [
    (
        "Feature",
        [
            "title",
            "description",
            "kind",
            "status",
            "team",
            "initiative",
            "release",
            "owner",
            "components",
            "labels",
            "start_date",
            "end_date",
        ],
    ),
    ("Estimate", ["points", "estimate_optimistic", "estimate_likely", "estimate_pessimistic"]),
    ("RICE", ["rice_reach", "rice_impact", "rice_confidence", "rice_effort"]),
    ("ICE", ["ice_impact", "ice_confidence", "ice_ease"]),
    (
        "WSJF",
        ["wsjf_business_value", "wsjf_time_criticality", "wsjf_risk_reduction", "wsjf_job_size"],
    ),
    ("Matrices", ["value", "effort", "risk", "urgent", "important", "moscow", "kano"]),
    ("Release note", ["release_note", "release_note_kind"]),
]


def _number(label: str, help_text: str = "") -> forms.FloatField:
    return forms.FloatField(label=label, required=False, help_text=help_text)


class FeatureForm(forms.Form):
    """Every editable field of a feature; `version` makes a concurrent edit a visible conflict."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False)
    kind = forms.ChoiceField(choices=FeatureKind.choices)
    status = forms.ChoiceField(choices=FeatureStatus.choices)
    team = forms.ChoiceField(required=False)
    initiative = forms.ChoiceField(required=False)
    release = forms.ChoiceField(required=False)
    owner = forms.ChoiceField(required=False)
    components = forms.MultipleChoiceField(required=False)
    labels = forms.CharField(required=False, help_text="Separate labels with commas.")
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    points = _number("Points")
    estimate_optimistic = _number("Optimistic (points)")
    estimate_likely = _number("Most likely (points)")
    estimate_pessimistic = _number("Pessimistic (points)")
    rice_reach = _number("Reach", "People or events per period.")
    rice_impact = forms.TypedChoiceField(
        label="Impact",
        required=False,
        coerce=float,
        empty_value=None,
        choices=BLANK + [(f"{k:g}", f"{k:g} — {v}") for k, v in scoring.RICE_IMPACTS.items()],
    )
    rice_confidence = _number("Confidence", "A fraction: 1.0 high, 0.8 medium, 0.5 low.")
    rice_effort = _number("Effort", "Person-months, more than 0.")
    ice_impact = _number("ICE impact", "1–10.")
    ice_confidence = _number("ICE confidence", "1–10.")
    ice_ease = _number("Ease", "1–10.")
    wsjf_business_value = forms.TypedChoiceField(
        label="Business value", required=False, coerce=int, empty_value=None
    )
    wsjf_time_criticality = forms.TypedChoiceField(
        label="Time criticality", required=False, coerce=int, empty_value=None
    )
    wsjf_risk_reduction = forms.TypedChoiceField(
        label="Risk reduction", required=False, coerce=int, empty_value=None
    )
    wsjf_job_size = forms.TypedChoiceField(
        label="Job size", required=False, coerce=int, empty_value=None
    )
    value = _number("Value", "1–10.")
    effort = _number("Effort rating", "1–10.")
    risk = _number("Risk", "1–10.")
    urgent = forms.TypedChoiceField(
        label="Urgent",
        required=False,
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    important = forms.TypedChoiceField(
        label="Important",
        required=False,
        choices=YES_NO,
        coerce=lambda v: v == "true",
        empty_value=None,
    )
    moscow = forms.ChoiceField(label="MoSCoW", required=False, choices=BLANK + MoSCoW.choices)
    kano = forms.ChoiceField(label="Kano", required=False, choices=BLANK + Kano.choices)
    release_note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    release_note_kind = forms.ChoiceField(choices=NoteKind.choices)

    def __init__(self, *args: Any, feature: Feature, choices: dict[str, Any], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.feature = feature
        fibonacci = BLANK + [(str(n), str(n)) for n in scoring.MODIFIED_FIBONACCI]
        for name in (
            "wsjf_business_value",
            "wsjf_time_criticality",
            "wsjf_risk_reduction",
            "wsjf_job_size",
        ):
            self.fields[name].choices = fibonacci  # type: ignore[attr-defined]
        allowed = [feature.status, *TRANSITIONS.get(feature.status, ())]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (s, FeatureStatus(s).label) for s in FeatureStatus.values if s in allowed
        ]
        for name in ("team", "initiative", "release", "owner"):
            self.fields[name].choices = BLANK + choices[name]  # type: ignore[attr-defined]
        self.fields["components"].choices = choices["components"]  # type: ignore[attr-defined]

    @staticmethod
    def choices_for(feature: Feature) -> dict[str, Any]:
        """The product's teams, initiatives, releases, members and components (5 queries)."""
        product = feature.product
        return {
            "team": [(str(t.pk), t.name) for t in Team.objects.filter(product=product)],
            "initiative": [
                (str(i.pk), i.title) for i in Initiative.objects.filter(product=product)
            ],
            "release": [(str(r.pk), r.name) for r in Release.objects.filter(product=product)],
            "owner": [
                (m.user.username, m.user.username)
                for m in Membership.objects.filter(workspace_id=product.workspace_id)
                .select_related("user")
                .order_by("user__username")
            ],
            "components": [(str(c.pk), c.name) for c in Component.objects.filter(product=product)],
        }

    @staticmethod
    def initial_for(feature: Feature) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(feature, name)
            for name in FeatureForm.base_fields
            if name not in {"team", "initiative", "release", "owner", "components", "labels"}
            and hasattr(feature, name)
        }
        for name in ("team", "initiative", "release"):
            value = getattr(feature, f"{name}_id")
            initial[name] = "" if value is None else str(value)
        for name in ("rice_impact", "urgent", "important") + tuple(
            f for f in FeatureForm.base_fields if f.startswith("wsjf_")
        ):
            value = getattr(feature, name)
            if isinstance(value, bool):
                initial[name] = "true" if value else "false"
            elif value is not None:
                initial[name] = f"{value:g}" if isinstance(value, float) else str(value)
        initial["owner"] = feature.owner.username if feature.owner else ""
        initial["components"] = [str(c.pk) for c in feature.components.all()]
        initial["labels"] = ", ".join(feature.labels)
        return initial

    def values(self) -> dict[str, Any]:
        """The cleaned data as the service's values (ids as ints, blanks as None)."""
        data = dict(self.cleaned_data)
        data.pop("version")
        for name in ("team", "initiative", "release"):
            data[name] = int(data[name]) if data[name] else None
        data["owner"] = data["owner"] or None
        data["components"] = [int(c) for c in data["components"]]
        data["labels"] = [x.strip() for x in data["labels"].split(",") if x.strip()]
        return data


class StoryForm(forms.Form):
    title = forms.CharField(
        max_length=200, required=False, help_text="Leave empty to use what the persona wants."
    )
    as_a = forms.CharField(label="As a", max_length=200, required=False)
    i_want = forms.CharField(label="I want", required=False)
    so_that = forms.CharField(label="So that", required=False)
    points = forms.FloatField(required=False, min_value=0)
    status = forms.ChoiceField(choices=StoryStatus.choices, initial=StoryStatus.TODO)


class CriterionForm(forms.Form):
    given = forms.CharField(required=False)
    when = forms.CharField(required=False)
    then = forms.CharField(required=False)


class RiskForm(forms.Form):
    title = forms.CharField(max_length=200)
    probability = forms.TypedChoiceField(
        coerce=int, choices=[(n, n) for n in range(1, 6)], initial=3
    )
    impact = forms.TypedChoiceField(coerce=int, choices=[(n, n) for n in range(1, 6)], initial=3)
    mitigation = forms.CharField(required=False)
    status = forms.ChoiceField(choices=RiskStatus.choices)


class RequirementForm(forms.Form):
    category = forms.ChoiceField(
        choices=[
            (c, c.title())
            for c in (
                "performance",
                "security",
                "accessibility",
                "reliability",
                "compliance",
                "usability",
                "other",
            )
        ]
    )
    text = forms.CharField(max_length=10_000)


class NewFeatureForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=FeatureKind.choices)
