"""Jira CSV exports: a streaming parser and the planner that maps issues onto features and stories.

Jira writes one column per value of a multi-valued field, all under the same header (three
`Labels` columns when an issue has three labels), so columns are looked up by name and every
position of a repeated name is read. Columns that an export leaves out are simply absent: the
Hadoop export has neither `Issue key` (then `Issue id` is the source key) nor `Issue Type`
(then every issue is a plain issue).

Memory: `iter_jira_csv` holds one record at a time plus a `{key: line}` map to catch duplicate
keys. `plan_jira` holds, per issue, only its key, id, type flags and parent references (about
200 bytes), which is what it needs to place a child whose parent comes later in the file; the
issues themselves are read again from the file when they are written.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Literal

from headway.interchange.csvmap import (
    DATETIME_EXPECTED,
    CsvHeader,
    CsvSource,
    iter_csv_records,
    parse_datetime_text,
    parse_number_text,
)
from headway.interchange.errors import (
    MAX_LISTED_ERRORS,
    ErrorCollector,
    ImportErrorDetail,
    quote_value,
)

#: Longest title Headway keeps (Feature.title and Story.title are 200 characters).
TITLE_MAX = 200

_SUBTASK_TYPES = frozenset({"sub-task", "subtask", "sub task"})
_NOT_DONE_RESOLUTIONS = frozenset(
    {
        "won't fix", "won't do", "duplicate", "invalid", "cannot reproduce", "incomplete",
        "not a problem", "not a bug", "abandoned", "declined", "works for me", "later",
        "information provided", "pending closed",
    }
)  # fmt: skip
_IN_PROGRESS_STATUSES = frozenset(
    {"in progress", "in review", "review", "code review", "patch available", "testing", "in qa"}
)
_PLANNED_STATUSES = frozenset({"selected for development", "ready", "planned", "accepted"})


@dataclass(frozen=True, slots=True)
class JiraIssue:
    """One issue of a Jira CSV export, with Jira's own vocabulary; times are aware UTC.

    `key` is the source key: `Issue key` when the export has it, else `Issue id`. `parent` is
    the parent's key or id as the export gives it (sub-tasks, or the newer `Parent` column);
    `epic_link` the epic's key from `Custom field (Epic Link)`. `issue_type` None means the
    export has no type, which Headway treats as a plain issue.
    """

    line: int
    key: str
    source_id: str | None
    summary: str
    issue_type: str | None
    status: str | None
    status_category: str | None
    priority: str | None
    resolution: str | None
    created: datetime | None
    resolved: datetime | None
    parent: str | None
    epic_link: str | None
    parent_summary: str | None
    story_points: float | None
    labels: tuple[str, ...]
    components: tuple[str, ...]
    sprints: tuple[str, ...]
    fix_versions: tuple[str, ...]
    affects_versions: tuple[str, ...]
    description: str

    @property
    def is_epic(self) -> bool:
        """Whether Jira calls this issue an Epic."""
        return self.issue_type is not None and self.issue_type.casefold() == "epic"

    @property
    def is_subtask(self) -> bool:
        """Whether Jira calls this issue a sub-task."""
        return self.issue_type is not None and self.issue_type.casefold() in _SUBTASK_TYPES


class _Columns:
    """Positions of the columns the importer reads, resolved once from the header."""

    def __init__(self, header: CsvHeader) -> None:
        self.names = header.names
        self.key = header.first("Issue key")
        self.id = header.first("Issue id")
        self.summary = header.first("Summary")
        self.issue_type = header.first("Issue Type")
        self.status = header.first("Status")
        self.status_category = header.first("Status Category")
        self.priority = header.first("Priority")
        self.resolution = header.first("Resolution")
        self.created = header.first("Created")
        self.resolved = header.first("Resolved")
        self.parent = header.all_of("Parent", "Parent id", "Parent key")
        self.epic_link = header.all_of("Custom field (Epic Link)", "Epic Link")
        self.parent_summary = header.first("Parent summary")
        self.story_points = header.all_of(
            "Custom field (Story Points)",
            "Custom field (Story point estimate)",
            "Story Points",
            "Story point estimate",
        )
        self.labels = header.positions("Labels")
        self.components = header.positions("Component/s")
        self.sprints = header.positions("Sprint")
        self.fix_versions = header.positions("Fix Version/s")
        self.affects_versions = header.positions("Affects Version/s")
        self.description = header.first("Description")

    def missing_required(self) -> list[str]:
        missing = []
        if self.summary is None:
            missing.append('the header has no "Summary" column')
        if self.key is None and self.id is None:
            missing.append('the header has neither an "Issue key" nor an "Issue id" column')
        return missing


def _text(fields: list[str], position: int | None) -> str | None:
    if position is None:
        return None
    value = fields[position].strip()
    return value or None


def _first_text(fields: list[str], positions: list[int]) -> tuple[str | None, int | None]:
    for position in positions:
        value = fields[position].strip()
        if value:
            return value, position
    return None, None


def _values(fields: list[str], positions: list[int]) -> tuple[str, ...]:
    return tuple([value for position in positions if (value := fields[position].strip())])


class _RowReader:
    """Turns one record into a JiraIssue, reporting every bad cell of it to the collector."""

    def __init__(self, columns: _Columns, errors: ErrorCollector, tz: tzinfo) -> None:
        self.columns = columns
        self.errors = errors
        self.tz = tz
        self.seen_keys: dict[str, int] = {}

    def _bad(self, line: int, position: int, problem: str) -> None:
        self.errors.add(line, position + 1, f"{self.columns.names[position]}: {problem}")

    def _time(self, line: int, fields: list[str], position: int | None) -> datetime | None:
        text = _text(fields, position)
        if text is None or position is None:
            return None
        try:
            return parse_datetime_text(text, self.tz)
        except ValueError:
            self._bad(line, position, f"{quote_value(text)} is not {DATETIME_EXPECTED}")
            return None

    def read(self, line: int, fields: list[str]) -> JiraIssue | None:
        """The issue on `line`, or None after reporting what is wrong with it."""
        c = self.columns
        errors_before = self.errors.total
        source_id = _text(fields, c.id)
        key_position = c.key if c.key is not None else c.id
        assert key_position is not None  # missing_required() refused such a header
        key = _text(fields, key_position) or ""
        if not key:
            self._bad(line, key_position, "needs a value")
        elif key in self.seen_keys:
            self._bad(line, key_position, f"{key} already appears on line {self.seen_keys[key]}")
        else:
            self.seen_keys[key] = line
        assert c.summary is not None
        summary = fields[c.summary].strip()
        if not summary:
            self._bad(line, c.summary, "needs a value")
        created = self._time(line, fields, c.created)
        resolved = self._time(line, fields, c.resolved)
        points_text, points_position = _first_text(fields, c.story_points)
        story_points = None
        if points_text is not None and points_position is not None:
            try:
                story_points = parse_number_text(points_text)
            except ValueError:
                self._bad(line, points_position, f"{quote_value(points_text)} is not a number")
            else:
                if story_points < 0:
                    self._bad(line, points_position, "story points cannot be negative")
        if self.errors.total != errors_before:
            return None
        description = fields[c.description] if c.description is not None else ""
        return JiraIssue(
            line=line,
            key=key,
            source_id=source_id,
            summary=summary,
            issue_type=_text(fields, c.issue_type),
            status=_text(fields, c.status),
            status_category=_text(fields, c.status_category),
            priority=_text(fields, c.priority),
            resolution=_text(fields, c.resolution),
            created=created,
            resolved=resolved,
            parent=_first_text(fields, c.parent)[0],
            epic_link=_first_text(fields, c.epic_link)[0],
            parent_summary=_text(fields, c.parent_summary),
            story_points=story_points,
            labels=_values(fields, c.labels),
            components=_values(fields, c.components),
            sprints=_values(fields, c.sprints),
            fix_versions=_values(fields, c.fix_versions),
            affects_versions=_values(fields, c.affects_versions),
            # Jira keeps the CRLF its users typed; Headway stores text with plain newlines.
            description=description.replace("\r\n", "\n").strip(),
        )


def iter_jira_csv(
    source: CsvSource, *, tz: tzinfo = UTC, max_errors: int = MAX_LISTED_ERRORS
) -> Iterator[JiraIssue]:
    """Stream the issues of a Jira CSV export (path or binary stream), in file order.

    Accepts a byte-order mark or none, CRLF or LF, multi-line quoted fields and repeated
    multi-value columns. Times without a zone are read in `tz`. Raises ImportFailed before the
    first issue if a required column is missing, and after the last one if any record was bad,
    listing every bad record (`{line, column, message}`, at most `max_errors` listed). Once a
    bad record is found no further issues are yielded, since the file will be refused.
    """
    errors = ErrorCollector(max_errors)
    records = iter_csv_records(source, errors)
    first = next(records, None)
    if first is None:
        if not errors:
            errors.add(1, None, "the file is empty: a Jira export starts with a header line")
        raise errors.failure()
    header_line, names = first
    columns = _Columns(CsvHeader(names, header_line))
    for problem in columns.missing_required():
        errors.add(header_line, None, problem)
    errors.raise_if_any()
    reader = _RowReader(columns, errors, tz)
    for line, fields in records:
        issue = reader.read(line, fields)
        if issue is not None and not errors:
            yield issue
    errors.raise_if_any()


# --- planning: which issues become features and which become stories --------------------------

FeatureStatus = Literal["idea", "planned", "in_progress", "done", "cancelled"]
StoryStatus = Literal["todo", "in_progress", "done"]


@dataclass(frozen=True, slots=True)
class JiraPlacement:
    """Where an issue lands: a feature of its own, or a story of the feature `feature_key`."""

    kind: Literal["feature", "story"]
    feature_key: str


@dataclass(frozen=True, slots=True)
class JiraRecord:
    """An issue translated into Headway's terms, ready to be written.

    `source_key` ("jira:KEY") is what a re-import matches on; a story's `feature_source_key`
    names the feature it belongs to. `status` is a feature status for features and a story
    status for stories. `done_at` is Jira's Resolved time.
    """

    kind: Literal["feature", "story"]
    line: int
    source_key: str
    feature_source_key: str
    title: str
    description: str
    status: str
    done_at: datetime | None
    created_at: datetime | None
    points: float | None
    labels: tuple[str, ...]
    components: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Skeleton:
    line: int
    is_epic: bool
    parent: str | None
    epic_link: str | None


def source_key_of(jira_key: str) -> str:
    """The source key Headway stores for a Jira issue, matched on re-import."""
    return f"jira:{jira_key}"


def _feature_status(issue: JiraIssue) -> FeatureStatus:
    if issue.resolved is not None or (issue.status_category or "").casefold() == "done":
        resolution = (issue.resolution or "").casefold()
        return "cancelled" if resolution in _NOT_DONE_RESOLUTIONS else "done"
    status = (issue.status or "").casefold()
    category = (issue.status_category or "").casefold()
    if status in _IN_PROGRESS_STATUSES or category == "in progress":
        return "in_progress"
    if status in _PLANNED_STATUSES:
        return "planned"
    return "idea"


def _story_status(issue: JiraIssue) -> StoryStatus:
    feature_status = _feature_status(issue)
    if feature_status in ("done", "cancelled"):
        return "done"
    return "in_progress" if feature_status == "in_progress" else "todo"


def _title(summary: str) -> str:
    return summary if len(summary) <= TITLE_MAX else summary[: TITLE_MAX - 1] + "…"


@dataclass(frozen=True, slots=True)
class JiraPlan:
    """The placement of every issue of a file, keyed by issue key, and the notes made on the way.

    Holds only keys: the DB writer reads the file a second time and asks `record_for` about
    each issue. A story can come before its feature in the file, so the writer creates features
    first (or links stories once all features exist). `notes` are not errors: they say where
    the planner had to choose, such as a sub-task whose parent is not in the file (it becomes a
    feature; `unresolved_parents` maps its key to the missing reference).
    """

    feature_of: Mapping[str, str]
    notes: tuple[ImportErrorDetail, ...]
    unresolved_parents: Mapping[str, str]

    @property
    def feature_count(self) -> int:
        """How many issues become features."""
        return sum(1 for key, feature in self.feature_of.items() if key == feature)

    @property
    def story_count(self) -> int:
        """How many issues become stories."""
        return len(self.feature_of) - self.feature_count

    def placement_of(self, issue: JiraIssue) -> JiraPlacement:
        """Where `issue` lands; KeyError if it was not part of the planned file."""
        feature_key = self.feature_of[issue.key]
        return JiraPlacement("feature" if feature_key == issue.key else "story", feature_key)

    def record_for(self, issue: JiraIssue) -> JiraRecord:
        """`issue` as a Headway feature or story (DESIGN.md §1 Integrations)."""
        placement = self.placement_of(issue)
        description = issue.description
        if len(issue.summary) > TITLE_MAX:
            description = f"{issue.summary}\n\n{description}".strip()
        return JiraRecord(
            kind=placement.kind,
            line=issue.line,
            source_key=source_key_of(issue.key),
            feature_source_key=source_key_of(placement.feature_key),
            title=_title(issue.summary),
            description=description,
            status=_feature_status(issue) if placement.kind == "feature" else _story_status(issue),
            done_at=issue.resolved,
            created_at=issue.created,
            points=issue.story_points,
            labels=issue.labels,
            components=issue.components,
        )


def plan_jira(issues: Iterable[JiraIssue]) -> JiraPlan:
    """Decide, for every issue, whether it becomes a feature or a story of which feature.

    An Epic becomes a feature; an issue whose parent (or Epic Link) is an epic becomes a story
    of that epic's feature; a sub-task becomes a story of its parent's feature (its parent may
    itself be a story of an epic); any other issue becomes a feature. Parents may appear after
    their children: everything is placed once the whole iterable is consumed. Consuming the
    parser's iterator here also validates the file (ImportFailed propagates).
    """
    skeletons: dict[str, _Skeleton] = {}
    key_of_id: dict[str, str] = {}
    for issue in issues:
        skeletons[issue.key] = _Skeleton(issue.line, issue.is_epic, issue.parent, issue.epic_link)
        if issue.source_id is not None and issue.source_id != issue.key:
            key_of_id[issue.source_id] = issue.key

    def find(reference: str | None) -> str | None:
        if reference is None:
            return None
        if reference in skeletons:
            return reference
        return key_of_id.get(reference)

    feature_of: dict[str, str] = {}
    notes: list[ImportErrorDetail] = []
    unresolved: dict[str, str] = {}
    for start in skeletons:
        chain: list[str] = []
        current = start
        while True:
            if current in feature_of:
                root = feature_of[current]
                break
            skeleton = skeletons[current]
            reference = skeleton.parent or skeleton.epic_link
            parent = None if skeleton.is_epic else find(skeleton.parent) or find(skeleton.epic_link)
            if skeleton.is_epic or reference is None:
                root = current
            elif parent is None:
                root = current
                unresolved[current] = reference
                notes.append(
                    ImportErrorDetail(
                        skeleton.line,
                        None,
                        f"{current}: parent {reference} is not in this file; imported as a feature",
                    )
                )
            elif parent == current or parent in chain:
                root = current
                notes.append(
                    ImportErrorDetail(
                        skeleton.line,
                        None,
                        f"{current}: its parents form a loop; imported as a feature",
                    )
                )
            else:
                chain.append(current)
                current = parent
                continue
            feature_of[current] = root
            break
        for key in chain:
            feature_of[key] = root
    ordered = {key: feature_of[key] for key in skeletons}
    return JiraPlan(ordered, tuple(notes), unresolved)
