"""Demo personas, components and competitors for Acme Analytics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from headway.products.models import (
    Capability,
    CapabilityLevel,
    Competitor,
    Component,
    Level,
    Persona,
)

if TYPE_CHECKING:
    from headway.web.demo import Demo


def populate(demo: Demo) -> None:
    product = demo.product
    Persona.objects.bulk_create(
        [
            Persona(
                product=product,
                name="Data-curious manager",
                goals="Answer weekly business questions alone.",
                pains="Waits days for the analytics team.",
            ),
            Persona(
                product=product,
                name="Analyst",
                goals="Ship trustworthy dashboards fast.",
                pains="Repeats the same SQL.",
            ),
            Persona(
                product=product,
                name="IT administrator",
                goals="Keep data access secure and audited.",
                pains="Shadow exports to Excel.",
            ),
        ]
    )
    demo.objects["components"] = {
        name: Component.objects.create(product=product, name=name)
        for name in ("Query engine", "Dashboards", "Connectors", "Admin & security")
    }
    competitors = [
        Competitor.objects.create(
            product=product,
            name="Lookwise",
            positioning="Enterprise BI for analysts",
            strengths="Semantic layer, governance",
            weaknesses="Steep learning curve",
            pricing_notes="Per seat, annual contracts only",
        ),
        Competitor.objects.create(
            product=product,
            name="Chartly",
            positioning="Self-serve dashboards for startups",
            strengths="Easy onboarding",
            weaknesses="Weak permissions, no audit log",
            pricing_notes="Free tier; usage-based above 10 users",
        ),
    ]
    matrix = {
        "Natural-language questions": ("full", "none", "partial"),
        "Scheduled reports": ("partial", "full", "full"),
        "Row-level security": ("none", "leader", "none"),
        "Embedded analytics": ("partial", "full", "partial"),
    }
    for position, (name, (ours, look, chart)) in enumerate(matrix.items()):
        capability = Capability.objects.create(product=product, name=name, position=position)
        CapabilityLevel.objects.bulk_create(
            [
                CapabilityLevel(capability=capability, competitor=None, level=Level(ours)),
                CapabilityLevel(
                    capability=capability, competitor=competitors[0], level=Level(look)
                ),
                CapabilityLevel(
                    capability=capability, competitor=competitors[1], level=Level(chart)
                ),
            ]
        )
