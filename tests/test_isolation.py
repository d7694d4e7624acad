"""Generated from the OpenAPI schema: for EVERY endpoint and method, an outsider gets 404 (or 403
for workspace-level actions) and sees nothing of another workspace, a viewer cannot write, and a
refused request changes nothing.

A new endpoint whose path parameter is not in `PATH_OBJECTS` makes this test fail: add the
parameter there (and a sample object to `acme`) so the endpoint is covered.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.apps import apps
from django.db import models

from headway.accounts.access import workspace_path
from headway.api.api import api
from tests.conftest import World

MARK = "acmesecret"  # every object of the Acme workspace carries it in its name

SCHEMA = api.get_openapi_schema()
ENDPOINTS = [
    (method.upper(), path.removeprefix("/api/v1"), operation)
    for path, operations in SCHEMA["paths"].items()
    for method, operation in operations.items()
]

#: Endpoints where an outsider legitimately acts in their own scope (no Acme data involved).
OWN_SCOPE = {
    ("POST", "/auth/token"),
    ("POST", "/workspaces"),
    ("POST", "/forecast/when"),
    ("POST", "/forecast/how-many"),
}
#: Writes a viewer may make, and why.
VIEWER_MAY: dict[tuple[str, str], str] = {
    ("POST", "/forecast/when"): "a computation on the caller's own numbers; nothing is stored",
    ("POST", "/forecast/how-many"): "a computation on the caller's own numbers; nothing is stored",
    ("POST", "/workspaces"): "anyone may create their own workspace",
    ("POST", "/notifications/read"): "marks the viewer's own notifications",
    ("PATCH", "/notifications/settings"): "the viewer's own notification settings",
    **{
        (method, f"/{kind}/{{item_id}}/watch"): "watching is personal and needs only read access"
        for method in ("POST", "DELETE")
        for kind in ("ideas", "features", "stories", "releases", "roadmaps", "goals")
    },
}

#: Generic `{item_id}` parameters take the kind from the path's first segment.
ITEM_KINDS = {
    "ideas": "idea_id",
    "features": "feature_id",
    "stories": "story_id",
    "releases": "release_id",
    "roadmaps": "roadmap_id",
    "goals": "goal_id",
}


def example(schema: dict[str, Any]) -> Any:
    """A minimal value that passes the schema's shape (not necessarily the domain rules)."""
    if "$ref" in schema:
        return example(SCHEMA["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]])
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"] or schema[key]
            return example(options[0])
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema:
        return schema["default"]
    kind = schema.get("type")
    if kind == "object":
        return {
            name: example(sub)
            for name, sub in schema.get("properties", {}).items()
            if name in schema.get("required", [])
        }
    if kind == "array":
        return []
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "number":
        return max(1, schema.get("minimum", 1))
    if kind == "boolean":
        return True
    if schema.get("format") == "date":
        return "2030-01-01"
    if schema.get("format") == "date-time":
        return "2030-01-01T00:00:00Z"
    if schema.get("format") == "email":
        return "x@example.com"
    return "x" * max(1, int(schema.get("minLength", 1)))


def body_for(operation: dict[str, Any], world: World) -> Any:
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" not in content:
        return None
    body = example(content["application/json"]["schema"])
    if isinstance(body, dict):
        for field, value in (("workspace", world.workspace.pk), ("product", world.product.pk)):
            if field in body:
                body[field] = value
    return body


def acme(world: World) -> dict[str, Any]:
    """One object of each kind in the Acme workspace, by the path parameter that names it."""
    from headway.activity.models import Comment
    from headway.discovery.models import Customer, Feedback, Idea
    from headway.interchange.models import ImportJob, Webhook
    from headway.planning.models import Dependency, Feature, Risk, Story
    from headway.products.models import Capability, Competitor, Persona
    from headway.releases.models import ReadinessItem, ReadinessTemplateItem, Release, Scenario
    from headway.roadmaps.models import RadarBlip, Roadmap, RoadmapItem, ShareLink, Snapshot
    from headway.strategy.models import Goal, Initiative, KeyResult

    product = world.product
    product.name = f"Rocket {MARK}"
    product.save()
    goal = Goal.objects.create(product=product, title=f"goal {MARK}")
    feature = Feature.objects.create(product=product, title=f"feature {MARK}")
    other = Feature.objects.create(product=product, title=f"feature two {MARK}")
    idea = Idea.objects.create(product=product, title=f"idea {MARK}")
    customer = Customer.objects.create(workspace=world.workspace, name=f"customer {MARK}")
    story = Story.objects.create(feature=feature, title=f"story {MARK}")
    release = Release.objects.create(product=product, name=f"release {MARK}")
    roadmap = Roadmap.objects.create(product=product, name=f"roadmap {MARK}")
    roadmap_item = RoadmapItem.objects.create(
        roadmap=roadmap, kind="milestone", title=f"item {MARK}", start_date="2030-01-01"
    )
    share_link, _ = ShareLink.issue(roadmap)
    Snapshot.objects.create(roadmap=roadmap, name=f"snapshot {MARK}")
    blip = RadarBlip.objects.create(
        product=product, name=f"blip {MARK}", quadrant="tools", ring="trial"
    )
    comment = Comment.objects.create(
        workspace=world.workspace,
        content_type_id=1,
        object_id=feature.pk,
        author=world.pm,
        body=MARK,
        body_html=MARK,
    )
    return {
        "workspace_id": world.workspace.pk,
        "username": world.contributor.username,
        "product_id": product.pk,
        "goal_id": goal.pk,
        "key_result_id": KeyResult.objects.create(goal=goal, name=f"kr {MARK}").pk,
        "initiative_id": Initiative.objects.create(product=product, title=f"i {MARK}").pk,
        "persona_id": Persona.objects.create(product=product, name=f"persona {MARK}").pk,
        "competitor_id": Competitor.objects.create(product=product, name=f"c {MARK}").pk,
        "capability_id": Capability.objects.create(product=product, name=f"cap {MARK}").pk,
        "column": "us",
        "feature_id": feature.pk,
        "story_id": story.pk,
        "risk_id": Risk.objects.create(feature=feature, title=f"risk {MARK}").pk,
        "dependency_id": Dependency.objects.create(feature=other, depends_on=feature).pk,
        "idea_id": idea.pk,
        "feedback_id": Feedback.objects.create(product=product, text=f"fb {MARK}").pk,
        "customer_id": customer.pk,
        "release_id": release.pk,
        "readiness_id": ReadinessItem.objects.create(
            release=release, function="qa", title=f"r {MARK}"
        ).pk,
        "template_item_id": ReadinessTemplateItem.objects.create(
            workspace=world.workspace, function="qa", title=f"t {MARK}"
        ).pk,
        "scenario_id": Scenario.objects.create(product=product, name=f"s {MARK}").pk,
        "roadmap_id": roadmap.pk,
        "roadmap_item_id": roadmap_item.pk,
        "item": f"item-{roadmap_item.pk}",
        "share_link_id": share_link.pk,
        "blip_id": blip.pk,
        "comment_id": comment.pk,
        **planning_objects(feature, other),
        "import_id": ImportJob.objects.create(product=product, kind="csv", file_name=MARK).pk,
        "webhook_id": Webhook.objects.create(
            workspace=world.workspace, url=f"https://example.com/{MARK}", events=["idea.created"]
        ).pk,
    }


def planning_objects(feature: Any, other: Any) -> dict[str, int]:
    from headway.planning.models import PriorityFormula, Requirement, Scorecard

    product = feature.product
    return {
        "depends_on_id": feature.pk,  # `other` depends on `feature` (see acme())
        "requirement_id": Requirement.objects.create(feature=feature, text=f"r {MARK}").pk,
        "scorecard_id": Scorecard.objects.create(
            product=product, name=f"card {MARK}", criteria=[{"name": "fit", "weight": 1}]
        ).pk,
        "formula_id": PriorityFormula.objects.create(
            product=product, name=f"formula {MARK}", expression="reach"
        ).pk,
    }


def snapshot(world: World) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of the Acme workspace, with its version where it has one."""
    state: dict[str, list[tuple[Any, ...]]] = {}
    for model in apps.get_models():
        if not hasattr(model, "WORKSPACE_PATH"):
            continue
        rows = model._default_manager.filter(**{workspace_path(model): world.workspace.pk})
        fields = [
            f.attname
            for f in model._meta.concrete_fields
            if not isinstance(f, models.DateTimeField)
        ]
        state[model._meta.label] = sorted(rows.values_list(*fields))
    return state


def fill(path: str, objects: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "item_id":
            name = ITEM_KINDS.get(path.split("/")[1], name)
        if name not in objects:
            pytest.fail(
                f"Path parameter {{{name}}} is not covered: add it to acme() in "
                f"tests/test_isolation.py"
            )
        return str(objects[name])

    return re.sub(r"\{([a-z_]+)\}", one, path)


def call(client: Any, method: str, url: str, body: Any) -> Any:
    if method == "GET":
        return client.get(url)
    if method == "DELETE":
        return client.delete(url)
    return getattr(client, method.lower())(url, body if body is not None else {})


@pytest.mark.parametrize(
    ("method", "path", "operation"), ENDPOINTS, ids=[f"{m} {p}" for m, p, _ in ENDPOINTS]
)
def test_outsider_gets_nothing(
    world: World, method: str, path: str, operation: dict[str, Any]
) -> None:
    objects = acme(world)
    before = snapshot(world)
    response = call(
        world.api(world.outsider), method, fill(path, objects), body_for(operation, world)
    )
    if (method, path) not in OWN_SCOPE:
        if "{" in path or (method != "GET" and body_for(operation, world)):
            expected = {403, 404} if path.startswith("/workspaces/{") else {404}
            assert response.status_code in expected, response.content
        assert response.status_code < 500, response.content
    assert MARK not in response.content.decode(errors="replace")
    assert snapshot(world) == before


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        e
        for e in ENDPOINTS
        if e[0] != "GET"
        and (e[0], e[1]) not in VIEWER_MAY
        and (e[0], e[1]) != ("POST", "/auth/token")
    ],
    ids=[
        f"{m} {p}"
        for m, p, _ in ENDPOINTS
        if m != "GET" and (m, p) not in VIEWER_MAY and (m, p) != ("POST", "/auth/token")
    ],
)
def test_viewer_cannot_write(
    world: World, method: str, path: str, operation: dict[str, Any]
) -> None:
    objects = acme(world)
    before = snapshot(world)
    response = call(
        world.api(world.viewer), method, fill(path, objects), body_for(operation, world)
    )
    assert response.status_code == 403, response.content
    assert snapshot(world) == before
