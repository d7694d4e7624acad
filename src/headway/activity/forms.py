"""Forms of the activity pages: notification settings and the audit log's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.apps import apps
from django.db.models import QuerySet

from headway.accounts.models import User
from headway.activity.models import Comment, NotificationSettings


class SettingsForm(forms.ModelForm[NotificationSettings]):
    class Meta:
        model = NotificationSettings
        fields = ["email", "digest_minutes"]
        labels = {"email": "Send me notifications by email", "digest_minutes": "Batch emails"}
        help_texts = {
            "email": "Notifications always appear in Headway; this adds an email.",
            "digest_minutes": "What arrives within this time comes as one email.",
        }


def recorded_types() -> list[tuple[str, str]]:
    """Every kind of record the audit history holds (models scoped to a workspace)."""
    found = [
        (f"{model._meta.app_label}.{model._meta.model_name}", str(model._meta.verbose_name))
        for model in apps.get_models()
        if (hasattr(model, "WORKSPACE_PATH") and model._meta.app_label != "activity")
        or model is Comment
    ]
    return sorted(found, key=lambda pair: pair[1])


class AuditFilterForm(forms.Form):
    user = forms.ChoiceField(required=False, label="Who")
    type = forms.ChoiceField(required=False, label="Type")
    since = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, users: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        type_field = self.fields["type"]
        assert isinstance(user_field, forms.ChoiceField)
        assert isinstance(type_field, forms.ChoiceField)
        user_field.choices = [("", "Anyone"), *((u.username, u.username) for u in users)]
        type_field.choices = [
            ("", "Any type"),
            *((key, label.capitalize()) for key, label in recorded_types()),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The end date must be on or after the start date.")
        return data
