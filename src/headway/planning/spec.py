"""A feature as a Markdown spec (a small PRD), for the API and the feature page alike."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from headway.planning.models import AcceptanceCriterion, Dependency, Feature, Story
from headway.products.models import Persona


def features() -> QuerySet[Feature]:
    """Features with everything the spec reads, in a fixed number of queries."""
    return Feature.objects.select_related(
        "product", "initiative__goal", "release", "team", "owner"
    ).prefetch_related(
        Prefetch(
            "stories",
            queryset=Story.objects.order_by("position", "id").prefetch_related(
                Prefetch("criteria", queryset=AcceptanceCriterion.objects.order_by("position"))
            ),
        ),
        "requirements",
        "risks",
        Prefetch("dependencies", queryset=Dependency.objects.select_related("depends_on")),
        Prefetch("dependants", queryset=Dependency.objects.select_related("feature")),
    )


def _line(text: str) -> str:
    return " ".join(text.split())


def markdown(feature: Feature) -> str:
    """Problem, goal, personas, stories with criteria, requirements, risks, dependencies and the
    open questions (questions in the description, stories without criteria, unmitigated risks)."""
    out: list[str] = [f"# {feature.title}", ""]
    facts = [
        f"Kind: {feature.get_kind_display()}",
        f"Status: {feature.get_status_display()}",
    ]
    if feature.team:
        facts.append(f"Team: {feature.team.name}")
    if feature.owner:
        facts.append(f"Owner: {feature.owner.username}")
    if feature.release:
        facts.append(f"Release: {feature.release.name}")
    out += [
        " · ".join(facts),
        "",
        "## Problem",
        "",
        feature.description.strip() or "_Not written yet._",
        "",
    ]
    out += ["## Goal", ""]
    if feature.initiative:
        goal = feature.initiative.goal
        out.append(
            f"Initiative **{feature.initiative.title}**"
            + (f", serving the goal **{goal.title}**." if goal else " (not tied to a goal yet).")
        )
    else:
        out.append("_Not tied to an initiative or goal yet._")
    stories = list(feature.stories.all())
    asked = {s.as_a.strip().lower() for s in stories if s.as_a.strip()}
    personas = [
        p for p in Persona.objects.filter(product_id=feature.product_id) if p.name.lower() in asked
    ]
    named = {p.name.lower() for p in personas}
    out += ["", "## Personas", ""]
    for persona in personas:
        out.append(
            f"- **{persona.name}**"
            + (f": {_line(persona.description)}" if persona.description else "")
        )
    for role in sorted(asked - named):
        out.append(f"- {role}")
    if not asked:
        out.append("_No stories name a persona yet._")
    out += ["", "## User stories", ""]
    questions = [
        _line(line) for line in feature.description.splitlines() if line.strip().endswith("?")
    ]
    for story in stories:
        points = f" ({story.points:g} points)" if story.points is not None else ""
        out.append(f"### {story.title}{points}")
        out.append("")
        if story.i_want:
            sentence = f"As a {story.as_a or 'user'}, I want {_line(story.i_want)}"
            out.append(sentence + (f", so that {_line(story.so_that)}." if story.so_that else "."))
            out.append("")
        criteria = list(story.criteria.all())
        for number, c in enumerate(criteria, start=1):
            out.append(
                f"{number}. **Given** {_line(c.given)} **when** {_line(c.when)} "
                f"**then** {_line(c.then)}"
            )
        if not criteria:
            questions.append(f"What are the acceptance criteria of “{story.title}”?")
        out.append("")
    if not stories:
        out += ["_No stories yet._", ""]
    out += ["## Non-functional requirements", ""]
    for requirement in feature.requirements.all():
        out.append(f"- **{requirement.category}**: {_line(requirement.text)}")
    if not feature.requirements.all():
        out.append("_None recorded._")
    out += ["", "## Risks", ""]
    risks = sorted(feature.risks.all(), key=lambda r: -r.exposure)
    for risk in risks:
        out.append(
            f"- {risk.title} — probability {risk.probability}/5, impact {risk.impact}/5 "
            f"({risk.get_status_display().lower()})"
            + (f". Mitigation: {_line(risk.mitigation)}" if risk.mitigation else "")
        )
        if not risk.mitigation and risk.status == "open":
            questions.append(f"How do we mitigate “{risk.title}”?")
    if not risks:
        out.append("_None recorded._")
    out += ["", "## Dependencies", ""]
    for dependency in feature.dependencies.all():
        out.append(f"- Depends on: {dependency.depends_on.title}")
    for dependant in feature.dependants.all():
        out.append(f"- Blocks: {dependant.feature.title}")
    if not feature.dependencies.all() and not feature.dependants.all():
        out.append("_None._")
    out += ["", "## Open questions", ""]
    out += [f"- {q}" for q in questions] or ["_None._"]
    return "\n".join(out).rstrip() + "\n"
