"""Generate a realistic Jira CSV export for the import benchmark, deterministically from a seed.

It has what real exports have: a byte-order mark, CRLF line ends, repeated columns for labels,
components, sprints and versions, multi-line quoted descriptions and comments (a few of them
tens of thousands of characters long), epics with stories and sub-tasks pointing at their
parents by key and by id, and newest issues first, so children come before their parents as
in Jira's default ordering.

    .venv/bin/python bench/gen_jira_csv.py --rows 50000 --seed 7 --out /tmp/jira-50k.csv
"""

from __future__ import annotations

import argparse
import csv
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

HEADER = (
    ["Summary", "Issue key", "Issue id", "Parent id", "Issue Type", "Status", "Priority"]
    + ["Resolution", "Assignee", "Reporter", "Created", "Updated", "Resolved"]
    + ["Labels"] * 3
    + ["Component/s"] * 2
    + ["Sprint"] * 3
    + ["Fix Version/s"] * 2
    + ["Affects Version/s"]
    + ["Custom field (Story Points)", "Custom field (Epic Link)", "Custom field (Epic Name)"]
    + ["Description", "Comment", "Comment"]
)

WORDS = (
    "the a to of and in is for on with that this when user page report export import api "
    "dashboard filter search button error slow fails timeout should can not after before "
    "login token cache query index release sprint roadmap feature story bug crash mobile "
    "screen load data customer invoice payment email notification setting permission role "
    "team chart csv pdf upload download sync retry queue worker database migration config"
).split()
LABELS = ["ui", "backend", "performance", "security", "tech-debt", "customer", "regression", "ux"]
COMPONENTS = ["Web", "API", "Mobile", "Billing", "Search", "Reports", "Auth", "Infra"]
PEOPLE = [f"user{n:03d}" for n in range(60)]
STATUSES = [("Open", 3), ("To Do", 3), ("In Progress", 2), ("In Review", 1), ("Done", 8)]
PRIORITIES = ["Highest", "High", "Medium", "Medium", "Low", "Lowest"]
POINTS = ["1", "2", "3", "5", "8", "13"]
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@dataclass
class Issue:
    """One generated issue before it is written as a row."""

    number: int
    issue_id: int
    kind: str
    created: datetime
    parent_id: int | None = None
    epic_key: str | None = None
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> str:
        """The Jira key, like BENCH-42."""
        return f"BENCH-{self.number}"


def jira_time(moment: datetime, twelve_hour: bool) -> str:
    """A time as Jira writes it: `30/Sep/21 17:20` or `30/Sep/21 5:20 PM`."""
    day = f"{moment.day:02d}/{MONTHS[moment.month - 1]}/{moment.year % 100:02d}"
    if twelve_hour:
        hour = moment.hour % 12 or 12
        return f"{day} {hour}:{moment.minute:02d} {'PM' if moment.hour >= 12 else 'AM'}"
    return f"{day} {moment.hour:02d}:{moment.minute:02d}"


def sentence(rng: random.Random, low: int, high: int) -> str:
    """A sentence of random words."""
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize()


def text_block(rng: random.Random) -> str:
    """A multi-line description with CRLF inside; about 1 % are very long."""
    if rng.random() < 0.01:
        target = rng.randint(5_000, 40_000)
    else:
        target = int(rng.lognormvariate(5.8, 0.8))  # median ~330 characters
    lines: list[str] = []
    size = 0
    while size < target:
        line = sentence(rng, 4, 18)
        if rng.random() < 0.15:
            line = f'* {line}, with "quotes", commas'
        lines.append(line)
        size += len(line) + 2
    return "\r\n".join(lines)


def plan_issues(rows: int, rng: random.Random) -> list[Issue]:
    """Epics, stories, tasks, bugs (most in an epic) and sub-tasks, interleaved in time order."""
    start = datetime(2021, 1, 4, 9, 0, tzinfo=UTC)
    issues: list[Issue] = []
    epics: list[Issue] = []
    standard: list[Issue] = []
    for number in range(1, rows + 1):
        created = start + timedelta(minutes=number * 37 + rng.randint(0, 30))
        roll = rng.random()
        if roll < 0.04 or not epics:
            issue = Issue(number, 100_000 + number, "Epic", created)
            epics.append(issue)
        elif roll < 0.70 or not standard:
            kind = rng.choices(["Story", "Task", "Bug"], weights=[5, 2, 3])[0]
            epic = rng.choice(epics[-40:]) if rng.random() < 0.7 else None
            issue = Issue(
                number, 100_000 + number, kind, created, epic_key=epic.key if epic else None
            )
            standard.append(issue)
        else:
            parent = rng.choice(standard[-300:])
            issue = Issue(number, 100_000 + number, "Sub-task", created, parent_id=parent.issue_id)
        issues.append(issue)
    return issues


def row_of(issue: Issue, rng: random.Random) -> list[str]:
    """The CSV fields of one issue, in HEADER order."""
    twelve_hour = rng.random() < 0.3
    status = rng.choices([s for s, _ in STATUSES], weights=[w for _, w in STATUSES])[0]
    done = status == "Done"
    resolved = issue.created + timedelta(hours=rng.randint(2, 24 * 40)) if done else None
    updated = resolved or issue.created + timedelta(hours=rng.randint(0, 500))
    labels = rng.sample(LABELS, k=rng.choice([0, 0, 1, 2, 3]))
    components = rng.sample(COMPONENTS, k=rng.choice([0, 1, 1, 2]))
    sprint_count = rng.choice([0, 1, 1, 2, 3]) if issue.kind != "Epic" else 0
    first_sprint = rng.randint(1, 120)
    sprints = [f"BENCH Sprint {first_sprint + n}" for n in range(sprint_count)]
    fix = [f"{rng.randint(1, 4)}.{rng.randint(0, 12)}"] if done and rng.random() < 0.6 else []
    points = (
        rng.choice(POINTS) if issue.kind in ("Story", "Task", "Bug") and rng.random() < 0.6 else ""
    )
    comments = [
        f"{jira_time(updated, False)};{rng.choice(PEOPLE)};{text_block(rng)}"
        if rng.random() < 0.3
        else ""
        for _ in range(2)
    ]

    def padded(values: list[str], width: int) -> list[str]:
        return values + [""] * (width - len(values))

    return (
        [
            sentence(rng, 3, 12),
            issue.key,
            str(issue.issue_id),
            "" if issue.parent_id is None else str(issue.parent_id),
            issue.kind,
            status,
            rng.choice(PRIORITIES),
            ("Done" if rng.random() < 0.9 else "Won't Do") if done else "",
            rng.choice(PEOPLE),
            rng.choice(PEOPLE),
            jira_time(issue.created, twelve_hour),
            jira_time(updated, twelve_hour),
            "" if resolved is None else jira_time(resolved, twelve_hour),
        ]
        + padded(labels, 3)
        + padded(components, 2)
        + padded(sprints, 3)
        + padded(fix, 2)
        + [f"{rng.randint(1, 4)}.{rng.randint(0, 12)}" if issue.kind == "Bug" else ""]
        + [points, issue.epic_key or "", sentence(rng, 2, 4) if issue.kind == "Epic" else ""]
        + [text_block(rng) if rng.random() < 0.9 else ""]
        + comments
    )


def generate(path: Path, rows: int = 50_000, seed: int = 7) -> Path:
    """Write a Jira-style CSV of `rows` issues to `path`; the same seed gives the same bytes."""
    rng = random.Random(seed)
    issues = plan_issues(rows, rng)
    path.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig writes the byte-order mark Jira puts at the start of its exports.
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        for issue in reversed(issues):  # newest first, as Jira lists them
            writer.writerow(row_of(issue, rng))
    return path


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--out", type=Path, default=Path(__file__).parent / "results" / "tmp" / "jira-50k.csv"
    )
    arguments = parser.parse_args()
    path = generate(arguments.out, arguments.rows, arguments.seed)
    print(f"wrote {arguments.rows:,} issues, {path.stat().st_size / 1e6:.1f} MB, to {path}")


if __name__ == "__main__":
    main()
