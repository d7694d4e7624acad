"""Forms of the planning pages. They only parse; the rules live in planning.services."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from headway.accounts.models import Membership
from headway.planning import formula, scoring
from headway.planning.backlog import FORMULA_FIELDS
from headway.planning.models import (
    Feature,
    FeatureKind,
    FeatureStatus,
    Kano,
    MoSCoW,
    NoteKind,
    PriorityFormula,
    RiskStatus,
    Scorecard,
    StoryStatus,
    Team,
)
from headway.planning.services import GROUPS, TRANSITIONS
from headway.products.models import Component
from headway.releases.models import Release
from headway.strategy.models import Initiative
from headway.web.inline import InlineForm

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


# --- Scorecards, formulas and ratings -------------------------------------------------------------


def _number_or_text(text: str) -> float | str | None:
    """A typed number as a float; anything else is passed on as typed, so the scoring rules (not
    the form) say what is wrong with it; blank is None."""
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return text


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float | int) and not isinstance(value, bool):
        return f"{value:g}"
    return str(value)


class CriteriaWidget(forms.Widget):
    """The criteria of a scorecard as table rows (name, weight, low, high, remove).

    Without JavaScript the table always offers a few blank rows; planning/scorecards.js adds
    more on demand. Inputs are named ``<name>-<row>-<column>``.
    """

    template_name = "planning/widgets/criteria.html"
    columns = ("name", "weight", "low", "high")
    blank_rows = 3
    max_rows = 100

    def format_value(self, value: Any) -> Any:
        return value

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[dict[str, str]]:
        rows = []
        for index in range(self.max_rows):
            if f"{name}-{index}-name" not in data:
                break
            if data.get(f"{name}-{index}-remove"):
                continue
            rows.append(
                {
                    column: str(data.get(f"{name}-{index}-{column}", "")).strip()
                    for column in self.columns
                }
            )
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-0-name" not in data

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-0-name" if id_ else id_

    def get_context(self, name: str, value: Any, attrs: Any) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = [{column: _shown(row.get(column)) for column in self.columns} for row in value or []]
        blanks = sum(1 for row in rows if not any(row.values()))
        rows += [dict.fromkeys(self.columns, "")] * max(0, self.blank_rows - blanks)
        context["widget"]["rows"] = rows
        return context


class CriteriaField(forms.Field):
    """Parses the criteria rows; empty rows are skipped, the rules are planning.scoring's."""

    widget = CriteriaWidget

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)

    def to_python(self, value: Any) -> list[dict[str, Any]]:
        criteria = []
        for row in value or []:
            if not any(row.values()):
                continue
            criterion: dict[str, Any] = {
                "name": row["name"],
                "weight": _number_or_text(row["weight"]),
            }
            for end in ("low", "high"):  # left blank: the service's default range
                if row[end]:
                    criterion[end] = _number_or_text(row[end])
            criteria.append(criterion)
        return criteria

    def prepare_value(self, value: Any) -> Any:
        return value


class ScorecardForm(InlineForm):
    """A scorecard's name and criteria; the service checks them (planning.scoring)."""

    criteria = CriteriaField(
        help_text=(
            "Each criterion has a weight (0 or more, not all 0) and the range of its ratings "
            "(low below high; 1 to 10 when left blank). The score is Σ weight × rating ÷ "
            "Σ weight. Empty rows are ignored; tick Remove to drop a criterion."
        )
    )

    class Meta:
        model = Scorecard
        fields = ["name", "criteria"]


#: The help under a formula: the fields and functions it may use (planning.formula).
FORMULA_HELP = (
    "Fields: "
    + ", ".join(FORMULA_FIELDS)
    + ". Functions: "
    + ", ".join(formula.FUNCTIONS)
    + ". Operators: + - * / ^, comparisons, and, or, not. A feature missing a field it uses "
    "has no score."
)


class FormulaForm(InlineForm):
    """A formula score's name and expression; the service parses it (planning.formula)."""

    class Meta:
        model = PriorityFormula
        fields = ["name", "expression"]
        widgets = {"expression": forms.Textarea(attrs={"rows": 2, "spellcheck": "false"})}
        help_texts = {"expression": FORMULA_HELP}


class RatingForm(forms.Form):
    """One feature's rating on each criterion of one scorecard (fields ``c0``, ``c1``, …)."""

    def __init__(
        self,
        *args: Any,
        card: Scorecard,
        ratings: Mapping[str, object] | None = None,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("prefix", f"card-{card.pk}")
        super().__init__(*args, **kwargs)
        self.card = card
        self.names: dict[str, str] = {}
        for index, criterion in enumerate(card.criteria):
            name = str(criterion.get("name", ""))
            low, high = criterion.get("low", 1.0), criterion.get("high", 10.0)
            self.names[name] = f"c{index}"
            self.fields[f"c{index}"] = forms.CharField(
                label=name,
                required=False,
                initial=_shown((ratings or {}).get(name)),
                help_text=f"{_shown(low)}–{_shown(high)}, weight {_shown(criterion.get('weight'))}",
                widget=forms.NumberInput(
                    attrs={"step": "any", "min": _shown(low), "max": _shown(high)}
                ),
            )

    def ratings(self) -> dict[str, Any]:
        """The typed ratings by criterion name (blank ones left out: the service asks for them)."""
        values = {
            name: _number_or_text(self.cleaned_data[field]) for name, field in self.names.items()
        }
        return {name: value for name, value in values.items() if value is not None}

    def add_service_error(self, error: ValidationError) -> None:
        """Put each message of the service next to the criterion it names (``scores.<name>``)."""
        for key, messages in error.message_dict.items():
            field = self.names.get(key.removeprefix("scores."))
            for message in messages:
                self.add_error(field, message)
