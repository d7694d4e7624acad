"""The database side of imports: read a validated file again and write it, all or nothing.

Every import runs in two stages. First the whole file is read and checked (the pure parsers in
`jira.py`, `github.py` and `csvmap.py`, plus the checks that need the database, such as a story
naming a feature that does not exist); a single bad row refuses the file, listing every bad row,
and nothing is written. Then the file is read again and written inside ONE transaction, in
batches (`upsert.Upsert`), so either every row lands or none does. Memory stays flat: neither
stage holds more than a batch of rows plus small `{key: id}` maps.

Progress is reported as a percentage: the check takes the first 40 %, the writing the rest.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, tzinfo
from pathlib import Path
from typing import Any

from django.db import transaction

from headway.core import clock
from headway.interchange.errors import ImportErrorDetail, MappingInvalid
from headway.interchange.github import GitHubIssue, GitHubIssueReader
from headway.interchange.jira import (
    TITLE_MAX,
    JiraIssue,
    iter_jira_csv,
    plan_jira,
    source_key_of,
)
from headway.interchange.progress import ProgressCallback, ticking
from headway.interchange.upsert import Tally, Upsert, merged_list, reserve_ids
from headway.planning.models import Feature, FeatureKind, FeatureStatus, Story
from headway.products.models import Component, Product
from headway.releases.models import Release

#: Share of the progress bar taken by checking the file; writing takes the rest.
CHECKED = 40.0

_KIND_OF_JIRA_TYPE = {
    "improvement": FeatureKind.ENHANCEMENT,
    "enhancement": FeatureKind.ENHANCEMENT,
    "technical debt": FeatureKind.TECH_DEBT,
    "tech debt": FeatureKind.TECH_DEBT,
    "spike": FeatureKind.RESEARCH_SPIKE,
    "research": FeatureKind.RESEARCH_SPIKE,
    "new feature": FeatureKind.CUSTOMER_FEATURE,
    "epic": FeatureKind.CUSTOMER_FEATURE,
    "story": FeatureKind.CUSTOMER_FEATURE,
}


@dataclass
class Outcome:
    """What an import did: counts per kind of record, and remarks that are not errors."""

    counts: dict[str, Any] = field(default_factory=dict)
    notes: list[ImportErrorDetail] = field(default_factory=list)
    tallies: dict[str, Tally] = field(default_factory=dict)

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    def summary(self) -> dict[str, Any]:
        """The counts in the `{kind: {created, updated, unchanged}}` shape the API returns."""
        result: dict[str, Any] = {name: tally.as_dict() for name, tally in self.tallies.items()}
        result.update(self.counts)
        return result


def short_title(title: str, description: str) -> tuple[str, str]:
    """A title that fits Headway's 200 characters; a longer one is cut with an ellipsis and
    kept whole at the top of the description, so nothing is lost."""
    title = " ".join(title.split())
    if len(title) <= TITLE_MAX:
        return title, description
    return title[: TITLE_MAX - 1] + "…", f"{title}\n\n{description}".strip()


def _opened(path: Path) -> Any:
    return path.open("rb")


# --- lookups shared by the writers ---------------------------------------------------------


def feature_keys(product: Product) -> dict[str, int]:
    """`{source key: id}` of the product's features that came from an import."""
    return dict(
        Feature.objects.filter(product=product)
        .exclude(source_key="")
        .values_list("source_key", "id")
    )


def story_keys(product: Product) -> dict[str, int]:
    """`{source key: id}` of the product's stories that came from an import."""
    return dict(
        Story.objects.filter(feature__product=product)
        .exclude(source_key="")
        .values_list("source_key", "id")
    )


def ensure_releases(
    product: Product, wanted: Mapping[str, date | None], outcome: Outcome
) -> dict[str, int]:
    """`{name: id}` of releases by name, creating the missing ones (with their target date)."""
    names = {name[:120] for name in wanted if name}
    found = dict(Release.objects.filter(product=product, name__in=names).values_list("name", "id"))
    missing = [
        Release(product=product, name=name[:120], target_date=wanted.get(name))
        for name in sorted(names - set(found))
    ]
    for release in Release.objects.bulk_create(missing):
        found[release.name] = release.pk
    outcome.counts["releases"] = {"created": len(missing)}
    return found


def link_components(
    product: Product,
    components_of: Mapping[str, set[str]],
    feature_ids: Mapping[str, int],
    outcome: Outcome,
) -> None:
    """Create the components named in the file and attach each to its features (adding,
    never removing what is already attached)."""
    names = {name[:120] for names in components_of.values() for name in names}
    found = dict(
        Component.objects.filter(product=product, name__in=names).values_list("name", "id")
    )
    missing = [Component(product=product, name=name) for name in sorted(names - set(found))]
    for component in Component.objects.bulk_create(missing):
        found[component.name] = component.pk
    outcome.counts["components"] = {"created": len(missing)}
    through = Feature.components.through
    links = [
        through(feature_id=feature_ids[key], component_id=found[name[:120]])
        for key, component_names in components_of.items()
        if key in feature_ids
        for name in sorted(component_names)
    ]
    through.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)


def _merge_labels(feature: Any, values: dict[str, Any]) -> dict[str, Any]:
    if "labels" in values:
        values = {**values, "labels": merged_list(feature.labels, values["labels"])}
    return values


# --- Jira ------------------------------------------------------------------------------------


def _jira_kind(issue: JiraIssue) -> str | None:
    if issue.issue_type is None:
        return None
    return _KIND_OF_JIRA_TYPE.get(issue.issue_type.casefold())


def _reserve(model: type[Any], keys: Iterable[str], existing: Mapping[str, int]) -> dict[str, int]:
    """Ids for the keys that match no existing record, so rows can point at them at once."""
    new = [key for key in dict.fromkeys(keys) if key not in existing]
    return dict(zip(new, reserve_ids(model, len(new)), strict=True))


def import_jira(
    product: Product, path: Path, *, tz: tzinfo, progress: ProgressCallback | None = None
) -> Outcome:
    """Import a Jira CSV export (DESIGN.md §1 Integrations); raises ImportFailed if any row is
    bad, having written nothing.

    The first reading checks every row, plans which issues become features and which stories,
    and gathers the small things a feature needs from its stories (labels, components). Every
    new feature then gets its id before anything is written, so the second reading writes
    features and stories as they come, whatever their order in the file.
    """
    outcome = Outcome()
    fix_versions: dict[str, date | None] = {}
    labels_of_issue: dict[str, tuple[str, ...]] = {}
    components_of_issue: dict[str, tuple[str, ...]] = {}

    def gather(issues: Iterable[JiraIssue]) -> Iterator[JiraIssue]:
        for issue in issues:
            if issue.fix_versions:
                fix_versions.setdefault(issue.fix_versions[0], None)
            if issue.labels:
                labels_of_issue[issue.key] = issue.labels
            if issue.components:
                components_of_issue[issue.key] = issue.components
            yield issue

    with _opened(path) as stream:
        plan = plan_jira(gather(ticking(iter_jira_csv(stream, tz=tz), stream, progress, 0, 35)))
    outcome.notes.extend(plan.notes)
    story_labels: defaultdict[str, list[str]] = defaultdict(list)
    components_of: defaultdict[str, set[str]] = defaultdict(set)
    for key, labels in labels_of_issue.items():
        if plan.feature_of[key] != key:
            story_labels[source_key_of(plan.feature_of[key])].extend(labels)
    for key, components in components_of_issue.items():
        components_of[source_key_of(plan.feature_of[key])].update(components)
    now = clock.now()
    with transaction.atomic():
        releases = ensure_releases(product, fix_versions, outcome)
        existing_features = feature_keys(product)
        existing_stories = story_keys(product)
        feature_ids = _reserve(
            Feature,
            (source_key_of(key) for key, feature in plan.feature_of.items() if key == feature),
            existing_features,
        )
        story_ids = _reserve(
            Story,
            (source_key_of(key) for key, feature in plan.feature_of.items() if key != feature),
            existing_stories,
        )
        features = Upsert(
            Feature,
            existing_features,
            outcome.tally("features"),
            _merge_labels,
            reserved=feature_ids,
        )
        stories = Upsert(Story, existing_stories, outcome.tally("stories"), reserved=story_ids)
        id_of_feature = {**existing_features, **feature_ids}
        with _opened(path) as stream:
            for issue in ticking(iter_jira_csv(stream, tz=tz), stream, progress, CHECKED, 96):
                record = plan.record_for(issue)
                values: dict[str, Any] = {
                    "title": record.title,
                    "description": record.description,
                    "status": record.status,
                    "done_at": record.done_at,
                }
                if record.points is not None:
                    values["points"] = record.points
                if issue.fix_versions:
                    values["release_id"] = releases[issue.fix_versions[0][:120]]
                if record.kind == "story":
                    values["feature_id"] = id_of_feature[record.feature_source_key]
                    stories.add(
                        record.source_key,
                        values,
                        {"source_key": record.source_key, "created": record.created_at or now},
                    )
                    continue
                values["labels"] = merged_list(record.labels, story_labels[record.source_key])
                if (kind := _jira_kind(issue)) is not None:
                    values["kind"] = kind
                features.add(
                    record.source_key,
                    values,
                    {
                        "product_id": product.pk,
                        "source_key": record.source_key,
                        "created": record.created_at or now,
                    },
                )
            features.flush()
            stories.flush()
        link_components(product, components_of, id_of_feature, outcome)
    if progress is not None:
        progress(100)
    return outcome


# --- GitHub ----------------------------------------------------------------------------------


def _github_values(issue: GitHubIssue, releases: Mapping[str, int]) -> dict[str, Any]:
    title, description = short_title(issue.title, issue.body.strip())
    closed = issue.state == "closed"
    if closed:
        status = FeatureStatus.DONE
    elif issue.milestone is not None:
        status = FeatureStatus.PLANNED
    else:
        status = FeatureStatus.IDEA
    values: dict[str, Any] = {
        "title": title,
        "description": description,
        "status": status,
        "done_at": (issue.closed_at or issue.created_at) if closed else None,
        "labels": list(issue.labels),
    }
    if issue.milestone is not None and issue.milestone.title:
        values["release_id"] = releases[issue.milestone.title[:120]]
    return values


def import_github(
    product: Product, path: Path, *, progress: ProgressCallback | None = None
) -> Outcome:
    """Import GitHub issues (a REST API array or JSON lines): pull requests are skipped, issues
    become features, closed ones done at `closed_at`, milestones become releases."""
    outcome = Outcome()
    milestones: dict[str, date | None] = {}
    keys: list[str] = []
    with _opened(path) as stream:
        reader = GitHubIssueReader(stream)
        for issue in ticking(reader, stream, progress, 0, CHECKED):
            keys.append(issue.source_key)
            if issue.milestone is not None and issue.milestone.title:
                due = issue.milestone.due_on
                milestones.setdefault(issue.milestone.title, due.date() if due else None)
    outcome.counts["pull_requests_skipped"] = reader.skipped_pull_requests
    now = clock.now()
    with transaction.atomic():
        releases = ensure_releases(product, milestones, outcome)
        existing = feature_keys(product)
        features = Upsert(
            Feature,
            existing,
            outcome.tally("features"),
            _merge_labels,
            reserved=_reserve(Feature, keys, existing),
        )
        with _opened(path) as stream:
            for issue in ticking(GitHubIssueReader(stream), stream, progress, CHECKED, 99):
                features.add(
                    issue.source_key,
                    _github_values(issue, releases),
                    {
                        "product_id": product.pk,
                        "source_key": issue.source_key,
                        "created": issue.created_at or now,
                    },
                )
            features.flush()
    if progress is not None:
        progress(100)
    return outcome


def check_timezone(name: str) -> tzinfo:
    """The zone called `name` (IANA, e.g. Europe/Berlin); MappingInvalid when unknown."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise MappingInvalid(
            "timezone", f"{name!r} is not a time zone; use a name like UTC or Europe/Berlin"
        ) from None
