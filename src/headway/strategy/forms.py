"""Forms of the strategy page; validation beyond the fields lives in the models' `clean()`."""

from __future__ import annotations

from typing import Any

from django import forms

from headway.accounts.models import User
from headway.strategy.models import Goal, Initiative, KeyResult
from headway.web.inline import InlineForm


class GoalForm(InlineForm):
    class Meta:
        model = Goal
        fields = ["title", "description", "due", "owner"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, workspace_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        owner.queryset = User.objects.filter(memberships__workspace_id=workspace_id).order_by(  # type: ignore[attr-defined]
            "username"
        )
        owner.label_from_instance = lambda user: user.get_username()  # type: ignore[attr-defined]


class KeyResultForm(InlineForm):
    class Meta:
        model = KeyResult
        fields = ["name", "unit", "baseline", "target", "current", "due"]
        help_texts = {"target": "Below the baseline for a metric that must fall."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Show 110 rather than 110.0: whole numbers are what people typed.
        for name in ("baseline", "target", "current"):
            value = self.initial.get(name)
            if isinstance(value, float) and value.is_integer():
                self.initial[name] = int(value)


class InitiativeForm(InlineForm):
    class Meta:
        model = Initiative
        fields = ["title", "description", "goal", "capacity_points", "start_date", "end_date"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, product_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(product_id=product_id)  # type: ignore[attr-defined]
