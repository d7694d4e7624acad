"""Forms of the product's strategy pages: vision, personas, competitors, capabilities."""

from __future__ import annotations

from django import forms

from headway.products.models import Capability, Competitor, Level, Persona, Product
from headway.web.inline import InlineForm


class VisionForm(InlineForm):
    class Meta:
        model = Product
        fields = ["vision", "north_star_metric"]
        labels = {"north_star_metric": "North-star metric"}
        widgets = {"vision": forms.Textarea(attrs={"rows": 3})}


class PersonaForm(InlineForm):
    class Meta:
        model = Persona
        fields = ["name", "description", "goals", "pains"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in ("description", "goals", "pains")
        }


class CompetitorForm(InlineForm):
    class Meta:
        model = Competitor
        fields = ["name", "url", "positioning", "strengths", "weaknesses", "pricing_notes"]
        labels = {"url": "Web site"}
        widgets = {
            name: forms.Textarea(attrs={"rows": 2})
            for name in ("positioning", "strengths", "weaknesses", "pricing_notes")
        }


class CapabilityForm(InlineForm):
    class Meta:
        model = Capability
        fields = ["name"]


class LevelForm(forms.Form):
    level = forms.ChoiceField(choices=Level.choices)
