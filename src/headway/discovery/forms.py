"""Forms of the discovery pages and the public portal.

Field limits mirror the API schemas; the domain rules (customer matching, workflow, votes) live
in services and are not repeated here.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from headway.discovery.models import FeedbackState, Importance, Source
from headway.discovery.schemas import MAX_ID, MAX_REVENUE, MAX_TEXT
from headway.discovery.services import CustomerData


class IdeaForm(forms.Form):
    title = forms.CharField(max_length=200, strip=True)
    description = forms.CharField(
        max_length=MAX_TEXT, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    public = forms.BooleanField(
        required=False, initial=True, help_text="Shown on the public portal."
    )
    internal_notes = forms.CharField(
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For the team only; never shown on the portal.",
    )


class CustomerFields(forms.Form):
    """The customer part of a form; `customer()` is None when nothing was filled in."""

    customer_name = forms.CharField(max_length=200, required=False, label="Customer name")
    customer_email = forms.EmailField(required=False, label="Customer email")
    customer_company = forms.CharField(max_length=200, required=False, label="Company")
    customer_segment = forms.CharField(max_length=80, required=False, label="Segment")
    customer_revenue = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_value=MAX_REVENUE,
        decimal_places=2,
        label="Annual revenue",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        others = ("customer_company", "customer_segment", "customer_revenue")
        named = data.get("customer_name") or data.get("customer_email")
        if not named and any(data.get(field) not in (None, "") for field in others):
            self.add_error("customer_name", "Give the customer's name or email.")
        return data

    def customer(self) -> CustomerData | None:
        data = self.cleaned_data
        if not (data.get("customer_name") or data.get("customer_email")):
            return None
        return CustomerData(
            name=data.get("customer_name") or "",
            email=data.get("customer_email") or "",
            company=data.get("customer_company") or "",
            segment=data.get("customer_segment") or "",
            revenue=data.get("customer_revenue"),
        )


class FeedbackForm(CustomerFields):
    text = forms.CharField(
        max_length=MAX_TEXT, strip=True, widget=forms.Textarea(attrs={"rows": 4}), label="Feedback"
    )
    source = forms.ChoiceField(choices=Source.choices, initial=Source.INTERNAL)
    idea = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)
    importance = forms.ChoiceField(choices=Importance.choices, initial=Importance.IMPORTANT)

    field_order = ["text", "source"]


class ProxyVoteForm(CustomerFields):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not (data.get("customer_name") or data.get("customer_email")):
            self.add_error("customer_name", "Name the customer you vote for.")
        return data


class LinkForm(forms.Form):
    idea = forms.IntegerField(min_value=1, max_value=MAX_ID)
    importance = forms.ChoiceField(choices=Importance.choices, required=False)

    def clean_importance(self) -> str:
        return self.cleaned_data.get("importance") or Importance.IMPORTANT


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=FeedbackState.choices)


class UploadForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8, comma, semicolon or tab separated.")


# --- the public portal ----------------------------------------------------------------------------


class VisitorFields(forms.Form):
    name = forms.CharField(max_length=200, label="Your name")
    email = forms.EmailField(label="Your email", help_text="Only to tell you about progress.")
    #: A honeypot: hidden from people (CSS and aria-hidden), filled in by naive bots.
    website = forms.CharField(required=False, label="Leave this empty")

    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class PortalIdeaForm(VisitorFields):
    title = forms.CharField(max_length=200, strip=True, label="Your idea")
    description = forms.CharField(
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Tell us more",
        help_text="What would it let you do? How do you work around it today?",
    )

    field_order = ["title", "description", "name", "email", "website"]


class PortalVoteForm(VisitorFields):
    name = forms.CharField(max_length=200, required=False, label="Your name")


class FollowForm(forms.Form):
    email = forms.EmailField(label="Your email")
