"""The import form (with a column mapping for generic CSV) and the webhook form."""

from __future__ import annotations

from typing import Any

from django import forms

from headway.interchange.csvmap import TARGET_FIELDS
from headway.interchange.models import ImportKind, WebhookEvent

TARGET_LABELS = {
    "features": "Features",
    "stories": "Stories",
    "ideas": "Ideas",
    "feedback": "Feedback",
}


def mapping_field_name(target: str, field: str) -> str:
    return f"map_{target}_{field}"


class ImportForm(forms.Form):
    """Upload a file and say what it is; for generic CSV, which column feeds which field."""

    kind = forms.ChoiceField(
        choices=ImportKind.choices, initial=ImportKind.JIRA_CSV, label="Kind of file"
    )
    file = forms.FileField(help_text="A Jira CSV export, GitHub issues JSON, or any CSV.")
    timezone = forms.CharField(
        initial="UTC",
        max_length=64,
        help_text="The zone of times written without one (Jira writes the exporter's zone).",
    )
    target = forms.ChoiceField(
        choices=list(TARGET_LABELS.items()),
        required=False,
        initial="features",
        label="Import the rows as",
    )

    def __init__(self, *args: Any, saved: dict[str, dict[str, str]] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        saved = saved or {}
        for target, specs in TARGET_FIELDS.items():
            for spec in specs:
                self.fields[mapping_field_name(target, spec.name)] = forms.CharField(
                    required=False,
                    max_length=200,
                    label=spec.name.replace("_", " ") + (" (required)" if spec.required else ""),
                    initial=saved.get(target, {}).get(spec.name, ""),
                    widget=forms.TextInput(attrs={"list": "csv-columns", "autocomplete": "off"}),
                )

    def mapping_groups(self) -> list[tuple[str, str, list[Any]]]:
        """(target, label, bound fields) per target, for the template."""
        return [
            (
                target,
                TARGET_LABELS[target],
                [self[mapping_field_name(target, spec.name)] for spec in specs],
            )
            for target, specs in TARGET_FIELDS.items()
        ]

    def mapping(self) -> dict[str, Any] | None:
        """The `{target, columns}` mapping for a CSV import, or None for the other kinds."""
        if self.cleaned_data.get("kind") != ImportKind.CSV:
            return None
        target = self.cleaned_data.get("target") or "features"
        columns = {
            spec.name: value.strip()
            for spec in TARGET_FIELDS[target]
            if (value := self.cleaned_data.get(mapping_field_name(target, spec.name), ""))
            and value.strip()
        }
        return {"target": target, "columns": columns}


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="URL", max_length=500, help_text="Where Headway POSTs: http:// or https:// only."
    )
    events = forms.MultipleChoiceField(
        choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(max_length=200, required=False)
