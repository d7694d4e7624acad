"""Sentences a stakeholder can read: "Maya moved 'SSO' to In progress".

Plain data in, plain strings out — no Django — so the activity feed, the notification list and
the digest email all say things the same way, and the wording is tested without a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

#: Fields whose change is a move in an ordering, not an edit of the item.
ORDER_FIELDS = frozenset({"rank", "position"})
#: Fields that name the item.
NAME_FIELDS = ("title", "name")


def quoted(text: str, limit: int = 80) -> str:
    """'text', shortened to `limit` characters with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return f"'{text}'"


def listing(words: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


@dataclass(frozen=True)
class Change:
    """One audit event, as the sentence builder needs it."""

    actor: str | None
    action: str  #: "create" | "update" | "delete"
    model: str  #: model name: "feature", "comment"
    label: str  #: how to name one: "feature", "key result"
    title: str  #: the record as it was named when it changed
    changes: Mapping[str, list[Any]] = field(default_factory=dict)
    #: field name → its label ("release_note" → "release note")
    field_labels: Mapping[str, str] = field(default_factory=dict)
    #: field name → {stored value → label} for fields with choices
    choices: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def value(self, name: str, index: int) -> str:
        raw = self.changes[name][index]
        if raw is None:
            return "nothing"
        if isinstance(raw, list | dict):  # JSON fields (labels, criteria): no choice labels
            return ", ".join(map(str, raw)) if isinstance(raw, list) else str(raw)
        return str(self.choices.get(name, {}).get(raw, raw))


def describe(change: Change) -> str:
    """One sentence for one audit event."""
    who = change.actor or "Someone"
    title = quoted(change.title)
    if change.model == "comment":
        if change.action == "create":
            return f"{who} commented on {title}"
        if change.action == "delete" or "deleted" in change.changes:
            return f"{who} deleted a comment on {title}"
        return f"{who} edited a comment on {title}"
    if change.action == "create":
        return f"{who} added {change.label} {title}"
    if change.action == "delete":
        return f"{who} deleted {change.label} {title}"
    names = [name for name in change.changes if name not in {"updated", "version"}]
    if "status" in names:
        sentence = f"{who} moved {title} to {change.value('status', 1)}"
        rest = [name for name in names if name != "status" and name not in ORDER_FIELDS]
        if rest:
            sentence += f" and changed its {_fields(change, rest)}"
        return sentence
    renamed = next((name for name in NAME_FIELDS if name in names), None)
    if renamed and len(names) == 1:
        old, new = change.changes[renamed]
        return f"{who} renamed {change.label} {quoted(str(old))} to {quoted(str(new))}"
    if names and all(name in ORDER_FIELDS for name in names):
        return f"{who} reordered {change.label} {title}"
    if not names:
        return f"{who} touched {change.label} {title}"
    return f"{who} changed the {_fields(change, names)} of {change.label} {title}"


#: Fields that repeat another (rendered HTML) or only say the record was touched.
UNSHOWN = frozenset({"updated", "version", "body_html"})


def differences(change: Change, limit: int = 120) -> list[tuple[str, str, str]]:
    """(field label, old, new) for each field the event recorded, values shortened to `limit`.

    A creation has no old values and a deletion no new ones: those come out as "nothing".
    """
    rows = []
    for name in change.changes:
        if name in UNSHOWN:
            continue
        label = change.field_labels.get(name, name.replace("_", " "))
        old, new = (_short(change.value(name, i), limit) for i in (0, 1))
        rows.append((label[:1].upper() + label[1:], old, new))
    return rows


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _fields(change: Change, names: list[str]) -> str:
    labels = [change.field_labels.get(name, name.replace("_", " ")) for name in names]
    if len(labels) > 3:
        return listing([*labels[:2], f"{len(labels) - 2} more fields"])
    return listing(labels)


def notification(verb: str, actor: str | None, label: str, target: str) -> str:
    """What a notification says: "Maya mentioned you on feature 'SSO'"."""
    who = actor or "Someone"
    item = f"{label} {quoted(target)}" if label else quoted(target)
    if verb == "mentioned":
        return f"{who} mentioned you on {item}"
    if verb == "replied":
        return f"{who} replied to your comment on {item}"
    if verb == "commented":
        return f"{who} commented on {item}"
    if verb == "status":
        return f"{who} changed the status of {item}"
    if verb == "shipped":
        return f"{item[0].upper()}{item[1:]} is done — customers you work with asked for it"
    return f"{who} {verb} {item}"


@dataclass
class Entry:
    """A line of the feed: one event, or a run of alike ones collapsed into one sentence."""

    at: dt.datetime
    sentence: str
    url: str = ""
    count: int = 1


@dataclass(frozen=True)
class FeedEvent:
    """What `by_day` needs of an event: when, who, what, and its own sentence."""

    at: dt.datetime
    actor: str | None
    action: str
    label: str
    plural: str
    title: str
    sentence: str
    url: str = ""


def by_day(events: Iterable[FeedEvent]) -> list[tuple[dt.date, list[Entry]]]:
    """Events (newest first) grouped by day; a run of items one person added becomes one line.

    "Priya added 4 stories: 'A', 'B' and 2 more" reads better for someone catching up weekly
    than four lines that differ in one word.
    """
    days: list[tuple[dt.date, list[Entry]]] = []
    run: list[FeedEvent] = []

    def flush() -> None:
        if not run:
            return
        first = run[0]
        if len(run) == 1:
            entry = Entry(first.at, first.sentence, first.url)
        else:
            titles = [quoted(event.title, 40) for event in run[:2]]
            if len(run) > 2:
                titles.append(f"{len(run) - 2} more")
            who = first.actor or "Someone"
            entry = Entry(
                first.at, f"{who} added {len(run)} {first.plural}: {listing(titles)}", "", len(run)
            )
        day = first.at.date()
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(entry)
        run.clear()

    for event in events:
        if run:
            head = run[0]
            alike = (
                event.action == "create"
                and head.action == "create"
                and event.actor == head.actor
                and event.label == head.label
                and event.at.date() == head.at.date()
            )
            if not alike:
                flush()
        run.append(event)
        if event.action != "create":
            flush()
    flush()
    return days
