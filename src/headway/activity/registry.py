"""The kinds of item people comment on, watch and read the history of.

One entry per kind — its URL segment, its model, whether it takes comments, and the page that
shows one item — so the comment, watch and history endpoints and pages are written once and
serve every kind. Another app makes its model commentable with one `register(...)` call.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import NoReverseMatch, reverse

from headway.discovery.models import Idea
from headway.planning.models import Feature, Story
from headway.releases.models import Release
from headway.roadmaps.models import Roadmap
from headway.strategy.models import Goal


@dataclass(frozen=True)
class Kind:
    """A kind of item: `features` ↔ `planning.Feature`."""

    name: str  #: the URL segment, plural: "features"
    label: str  #: how a sentence names one: "feature"
    model: type[models.Model]
    commentable: bool = True
    #: The item page, when the owning app provides one (tried first; see `item_url`).
    url_name: str = ""
    #: Users on these fields watch the item automatically (author, owner, assignee).
    people_fields: tuple[str, ...] = field(default_factory=tuple)

    def title_of(self, obj: models.Model) -> str:
        return str(obj)


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind (its name must be new)."""
    if kind.name in KINDS:
        raise ValueError(f"A kind called {kind.name!r} is already registered.")
    KINDS[kind.name] = kind
    return kind


for _kind in (
    Kind("ideas", "idea", Idea, url_name="discovery:idea", people_fields=("author",)),
    Kind("features", "feature", Feature, url_name="planning:feature", people_fields=("owner",)),
    Kind("stories", "story", Story, url_name="planning:story"),
    Kind("releases", "release", Release, url_name="releases:release"),
    Kind("roadmaps", "roadmap", Roadmap, url_name="roadmaps:roadmap"),
    Kind("goals", "goal", Goal, commentable=False, url_name="strategy:goal",
         people_fields=("owner",)),
):  # fmt: skip
    register(_kind)


def commentable() -> list[Kind]:
    return [kind for kind in KINDS.values() if kind.commentable]


def get(name: str) -> Kind | None:
    return KINDS.get(name)


def kind_of(model: type[models.Model] | models.Model) -> Kind | None:
    """The kind of a model (or instance), or None when it is not registered."""
    cls = model if isinstance(model, type) else type(model)
    for kind in KINDS.values():
        if kind.model is cls:
            return kind
    return None


def item_url(kind: Kind, object_id: Any) -> str:
    """The page of one item: its own app's page when it has one, else its comments page."""
    if kind.url_name:
        try:
            return reverse(kind.url_name, args=[object_id])
        except NoReverseMatch:
            pass
    return reverse("activity:comments", args=[kind.name, object_id])


def path_between(model: type[models.Model], ancestor: type[models.Model]) -> str | None:
    """The lookup from `model` up to `ancestor` along its workspace path ("feature__product").

    Used to find every item under a record that is about to be deleted.
    """
    path = getattr(model, "WORKSPACE_PATH", "")
    parts: list[str] = []
    current: Any = model
    for part in str(path).split("__")[:-1]:
        try:
            related = current._meta.get_field(part).related_model
        except FieldDoesNotExist:
            return None
        if related is None:
            return None
        parts.append(part)
        if related is ancestor:
            return "__".join(parts)
        current = related
    return None
