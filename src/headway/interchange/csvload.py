"""Writing a generic CSV, read through a column mapping, as features, stories, ideas or feedback.

The parser (`csvmap.iter_mapped_csv`) checks each cell against its field's type. What needs the
database is checked here, in the same first pass and with the same line and column precision: a
status name Headway does not know, a story's feature or a feedback item's idea that cannot be
found (or is ambiguous), a key that appears twice in the file. Then the rows are written in one
transaction.

Re-importing matches a row on its mapped `external_id` when there is one (stored as the source
key `csv:<id>`, or as given when it already looks like a source key such as `jira:PAY-1`), and
otherwise on its title (features, ideas; stories within their feature) or its text (feedback).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from datetime import tzinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from headway.core import clock
from headway.discovery.models import Customer, Feedback, FeedbackLink, Idea
from headway.interchange.csvmap import MappedRow, check_mapping, iter_mapped_csv
from headway.interchange.errors import ErrorCollector, ImportFailed, quote_value
from headway.interchange.loader import (
    CHECKED,
    Outcome,
    ensure_releases,
    feature_keys,
    short_title,
    story_keys,
)
from headway.interchange.models import ImportedRecord
from headway.interchange.progress import ProgressCallback, ticking
from headway.interchange.upsert import Upsert, merged_list
from headway.planning.models import Feature, FeatureStatus, Story, StoryStatus
from headway.products.models import Product
from headway.strategy.models import Initiative

#: Longest accepted external id (the source key adds a prefix; the column holds 200).
EXTERNAL_ID_MAX = 190

_STATUS_WORDS: dict[str, dict[str, str]] = {
    "features": {
        **{value: value for value in FeatureStatus.values},
        **{label.casefold(): value for value, label in FeatureStatus.choices},
        "new": FeatureStatus.IDEA,
        "open": FeatureStatus.IDEA,
        "backlog": FeatureStatus.IDEA,
        "to do": FeatureStatus.IDEA,
        "todo": FeatureStatus.IDEA,
        "in development": FeatureStatus.IN_PROGRESS,
        "doing": FeatureStatus.IN_PROGRESS,
        "closed": FeatureStatus.DONE,
        "resolved": FeatureStatus.DONE,
        "shipped": FeatureStatus.DONE,
        "released": FeatureStatus.DONE,
        "canceled": FeatureStatus.CANCELLED,
        "rejected": FeatureStatus.CANCELLED,
        "won't do": FeatureStatus.CANCELLED,
    },
    "stories": {
        **{value: value for value in StoryStatus.values},
        **{label.casefold(): value for value, label in StoryStatus.choices},
        "to do": StoryStatus.TODO,
        "new": StoryStatus.TODO,
        "open": StoryStatus.TODO,
        "backlog": StoryStatus.TODO,
        "doing": StoryStatus.IN_PROGRESS,
        "in review": StoryStatus.IN_PROGRESS,
        "closed": StoryStatus.DONE,
        "resolved": StoryStatus.DONE,
        "complete": StoryStatus.DONE,
        "completed": StoryStatus.DONE,
    },
}


def _normal_word(word: str) -> str:
    return " ".join(word.replace("_", " ").replace("-", " ").split()).casefold()


_STATUS = {
    kind: {_normal_word(word): str(status) for word, status in words.items()}
    for kind, words in _STATUS_WORDS.items()
}


def source_key_for(external_id: str) -> str:
    """The source key of a CSV row's external id: as given when it is already one
    (`jira:PAY-1`, from a Headway export), else `csv:<id>`."""
    external_id = external_id.strip()
    return external_id if ":" in external_id else f"csv:{external_id}"


def _title_key(title: str) -> str:
    return "title:" + " ".join(title.split()).casefold()


def _text_key(text: str) -> str:
    digest = hashlib.blake2b(text.strip().encode(), digest_size=16).hexdigest()
    return f"text:{digest}"


class _Lookup:
    """Finds a record of the product by source key or by its (unique) title."""

    def __init__(self, by_key: Mapping[str, int], titles: list[tuple[int, str]], noun: str):
        self.by_key = by_key
        self.noun = noun
        self.by_title: dict[str, int | None] = {}
        for pk, title in titles:
            key = _title_key(title)
            self.by_title[key] = None if key in self.by_title else pk

    def find(self, reference: str) -> tuple[int | None, str | None]:
        """`(id, None)` when found, else `(None, why not)`."""
        reference = reference.strip()
        for key in (reference, source_key_for(reference)):
            if key in self.by_key:
                return self.by_key[key], None
        title_key = _title_key(reference)
        if title_key not in self.by_title:
            return None, (
                f"no {self.noun} of this product has the source key or title "
                f"{quote_value(reference)}"
            )
        pk = self.by_title[title_key]
        if pk is None:
            return None, (
                f"several {self.noun}s are titled {quote_value(reference)}; use the source key"
            )
        return pk, None


class _Target:
    """One kind of record a CSV can be imported as: checks rows, then writes them."""

    noun = "record"
    key_column = "title"

    def __init__(self, product: Product, outcome: Outcome) -> None:
        self.product = product
        self.outcome = outcome
        self.seen: dict[str, int] = {}
        self.now = clock.now()

    # -- pass 1 --

    def check(self, row: MappedRow, errors: ErrorCollector) -> None:
        """Report what is wrong with `row` beyond its cell types."""
        external = row.values.get("external_id")
        if isinstance(external, str) and len(external) > EXTERNAL_ID_MAX:
            self.bad(row, errors, "external_id", f"is longer than {EXTERNAL_ID_MAX} characters")
            return
        key = self.key_of(row)
        if key is None:
            return
        if key in self.seen:
            column = "external_id" if isinstance(external, str) else self.key_column
            self.bad(
                row,
                errors,
                column,
                f"the same {self.noun} already appears on line {self.seen[key]}; "
                + ("give each row its own id" if column == "external_id" else "map an id column"),
            )
        else:
            self.seen[key] = row.line

    def key_of(self, row: MappedRow) -> str | None:
        raise NotImplementedError

    def bad(self, row: MappedRow, errors: ErrorCollector, name: str, problem: str) -> None:
        errors.add(row.line, row.columns.get(name), f"{name}: {problem}")

    def status(self, row: MappedRow, errors: ErrorCollector, kind: str) -> None:
        value = row.values.get("status")
        if isinstance(value, str) and _status_value(kind, value) is None:
            known = ", ".join(sorted(set(_STATUS[kind].values())))
            self.bad(row, errors, "status", f"{quote_value(value)} is not a status; use {known}")

    def before_writing(self) -> None:
        """Create what the rows refer to by name (releases, initiatives, customers)."""

    def write(self, row: MappedRow) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Write what could only be written once every row was."""


def _status_value(kind: str, value: Any) -> str | None:
    """The status `value` names (a value, a label or a common synonym), or None."""
    if not isinstance(value, str):
        return None
    return _STATUS[kind].get(_normal_word(value))


def _external_key(row: MappedRow) -> str | None:
    external = row.values.get("external_id")
    return source_key_for(external) if isinstance(external, str) else None


def _set_if(values: dict[str, Any], name: str, value: Any) -> None:
    if value is not None:
        values[name] = value


class _Features(_Target):
    noun = "feature"

    def __init__(self, product: Product, outcome: Outcome) -> None:
        super().__init__(product, outcome)
        self.releases: dict[str, None] = {}
        self.initiatives: set[str] = set()

    def key_of(self, row: MappedRow) -> str | None:
        return _external_key(row) or _title_key(str(row.values["title"]))

    def check(self, row: MappedRow, errors: ErrorCollector) -> None:
        super().check(row, errors)
        self.status(row, errors, "features")
        if isinstance(release := row.values.get("release"), str):
            self.releases.setdefault(release[:120], None)
        if isinstance(initiative := row.values.get("initiative"), str):
            self.initiatives.add(initiative[:200])

    def before_writing(self) -> None:
        self.release_ids = ensure_releases(self.product, self.releases, self.outcome)
        found = dict(
            Initiative.objects.filter(product=self.product, title__in=self.initiatives)
            .order_by("id")
            .values_list("title", "id")
        )
        missing = [
            Initiative(product=self.product, title=title)
            for title in sorted(self.initiatives - set(found))
        ]
        for initiative in Initiative.objects.bulk_create(missing):
            found[initiative.title] = initiative.pk
        self.initiative_ids = found
        self.outcome.counts["initiatives"] = {"created": len(missing)}
        existing = feature_keys(self.product)
        for pk, title in Feature.objects.filter(product=self.product).values_list("id", "title"):
            existing.setdefault(_title_key(title), pk)
        self.upsert = Upsert(Feature, existing, self.outcome.tally("features"), _merge_labels)

    def write(self, row: MappedRow) -> None:
        v = row.values
        title, description = short_title(str(v["title"]), str(v.get("description") or ""))
        values: dict[str, Any] = {"title": title}
        if v.get("description") is not None or description:
            values["description"] = description
        _set_if(values, "kind", v.get("kind"))
        _set_if(values, "status", _status_value("features", v.get("status")))
        for name in ("points", "start_date", "end_date", "done_at", "moscow"):
            _set_if(values, name, v.get(name))
        if isinstance(release := v.get("release"), str):
            values["release_id"] = self.release_ids[release[:120]]
        if isinstance(initiative := v.get("initiative"), str):
            values["initiative_id"] = self.initiative_ids[initiative[:200]]
        if isinstance(labels := v.get("labels"), tuple):
            values["labels"] = list(labels)
        external = _external_key(row)
        self.upsert.add(
            self.key_of(row) or "",
            values,
            {"product_id": self.product.pk, "source_key": external or "", "created": self.now},
        )

    def finish(self) -> None:
        self.upsert.flush()


def _merge_labels(record: Any, values: dict[str, Any]) -> dict[str, Any]:
    if "labels" in values:
        values = {**values, "labels": merged_list(record.labels, values["labels"])}
    return values


class _Stories(_Target):
    noun = "story"

    def __init__(self, product: Product, outcome: Outcome) -> None:
        super().__init__(product, outcome)
        self.features = _Lookup(
            feature_keys(product),
            list(Feature.objects.filter(product=product).values_list("id", "title")),
            "feature",
        )
        self.feature_of_line: dict[int, int] = {}

    def title_of(self, row: MappedRow) -> str:
        title = row.values.get("title") or row.values.get("i_want") or ""
        return " ".join(str(title).split())

    def key_of(self, row: MappedRow) -> str | None:
        external = _external_key(row)
        if external is not None:
            return external
        feature = self.feature_of_line.get(row.line)
        if feature is None:
            return None
        return f"story:{feature}:{_title_key(self.title_of(row))}"

    def check(self, row: MappedRow, errors: ErrorCollector) -> None:
        feature, why_not = self.features.find(str(row.values["feature"]))
        if feature is None:
            self.bad(row, errors, "feature", str(why_not))
        else:
            self.feature_of_line[row.line] = feature
        super().check(row, errors)
        self.status(row, errors, "stories")

    def before_writing(self) -> None:
        existing = story_keys(self.product)
        for pk, feature, title in Story.objects.filter(feature__product=self.product).values_list(
            "id", "feature_id", "title"
        ):
            existing.setdefault(f"story:{feature}:{_title_key(title)}", pk)
        self.upsert = Upsert(Story, existing, self.outcome.tally("stories"))

    def write(self, row: MappedRow) -> None:
        v = row.values
        title, description = short_title(self.title_of(row), str(v.get("description") or ""))
        values: dict[str, Any] = {"feature_id": self.feature_of_line[row.line], "title": title}
        if v.get("description") is not None or description:
            values["description"] = description
        for name in ("as_a", "i_want", "so_that", "points", "done_at"):
            _set_if(values, name, v.get(name))
        if isinstance(values.get("as_a"), str):
            values["as_a"] = values["as_a"][:200]
        _set_if(values, "status", _status_value("stories", v.get("status")))
        self.upsert.add(
            self.key_of(row) or "",
            values,
            {"source_key": _external_key(row) or "", "created": self.now},
        )

    def finish(self) -> None:
        self.upsert.flush()


class _KeyedElsewhere(_Target):
    """Ideas and feedback: their source keys live in `ImportedRecord`."""

    model: type[models.Model]

    def imported_keys(self) -> dict[str, int]:
        self.content_type = ContentType.objects.get_for_model(self.model)
        return dict(
            ImportedRecord.objects.filter(
                product=self.product, content_type=self.content_type
            ).values_list("source_key", "object_id")
        )

    def remember(self) -> Callable[[str, int], None]:
        self.new_keys: list[ImportedRecord] = []

        def created(key: str, pk: int) -> None:
            if not key.startswith(("title:", "text:")):
                self.new_keys.append(
                    ImportedRecord(
                        product=self.product,
                        content_type=self.content_type,
                        object_id=pk,
                        source_key=key,
                    )
                )

        return created

    def finish(self) -> None:
        self.upsert.flush()
        ImportedRecord.objects.bulk_create(self.new_keys, batch_size=1000, ignore_conflicts=True)

    upsert: Upsert


class _Ideas(_KeyedElsewhere):
    noun = "idea"
    model = Idea

    def key_of(self, row: MappedRow) -> str | None:
        return _external_key(row) or _title_key(str(row.values["title"]))

    def before_writing(self) -> None:
        existing = self.imported_keys()
        for pk, title in Idea.objects.filter(product=self.product).values_list("id", "title"):
            existing.setdefault(_title_key(title), pk)
        self.upsert = Upsert(
            Idea, existing, self.outcome.tally("ideas"), on_created=self.remember()
        )

    def write(self, row: MappedRow) -> None:
        v = row.values
        title, description = short_title(str(v["title"]), str(v.get("description") or ""))
        values: dict[str, Any] = {"title": title}
        if v.get("description") is not None or description:
            values["description"] = description
        _set_if(values, "status", v.get("status"))
        _set_if(values, "vote_count", v.get("votes"))
        _set_if(values, "created", v.get("created_at"))
        self.upsert.add(
            self.key_of(row) or "",
            values,
            {"product_id": self.product.pk, "created": self.now, "status_changed": self.now},
        )


class _Feedback(_KeyedElsewhere):
    noun = "feedback item"
    model = Feedback
    key_column = "text"

    def __init__(self, product: Product, outcome: Outcome) -> None:
        super().__init__(product, outcome)
        idea_keys = dict(
            ImportedRecord.objects.filter(
                product=product, content_type=ContentType.objects.get_for_model(Idea)
            ).values_list("source_key", "object_id")
        )
        self.ideas = _Lookup(
            idea_keys, list(Idea.objects.filter(product=product).values_list("id", "title")), "idea"
        )
        self.idea_of_line: dict[int, int] = {}
        self.customers: dict[tuple[str, str], dict[str, Any]] = {}
        self.links: list[tuple[str, int, str]] = []

    def key_of(self, row: MappedRow) -> str | None:
        return _external_key(row) or _text_key(str(row.values["text"]))

    def customer_of(self, row: MappedRow) -> tuple[str, str] | None:
        name = row.values.get("customer_name")
        company = row.values.get("customer_company")
        if not isinstance(name, str) and not isinstance(company, str):
            return None
        name = str(name or company)[:200]
        return name, str(company or "")[:200]

    def check(self, row: MappedRow, errors: ErrorCollector) -> None:
        super().check(row, errors)
        if isinstance(idea := row.values.get("idea"), str):
            found, why_not = self.ideas.find(idea)
            if found is None:
                self.bad(row, errors, "idea", str(why_not))
            else:
                self.idea_of_line[row.line] = found
        revenue = row.values.get("customer_revenue")
        if isinstance(revenue, float) and not 0 <= revenue < 10**12:
            self.bad(row, errors, "customer_revenue", "must be between 0 and 999,999,999,999")
        if (customer := self.customer_of(row)) is not None:
            details = self.customers.setdefault(customer, {})
            for name, field_name in (
                ("customer_segment", "segment"),
                ("customer_revenue", "revenue"),
            ):
                if row.values.get(name) is not None:
                    details[field_name] = row.values[name]

    def before_writing(self) -> None:
        workspace = self.product.workspace_id
        found: dict[tuple[str, str], Customer] = {}
        for customer in Customer.objects.filter(
            workspace_id=workspace, name__in={name for name, _ in self.customers}
        ):
            found.setdefault((customer.name, customer.company), customer)
        missing: list[Customer] = []
        changed: list[Customer] = []
        for (name, company), details in self.customers.items():
            revenue = details.get("revenue")
            fields = {
                "segment": str(details.get("segment") or "")[:80],
                "revenue": None if revenue is None else _money(revenue),
            }
            known = found.get((name, company))
            if known is None:
                missing.append(
                    Customer(workspace_id=workspace, name=name, company=company, **fields)
                )
                continue
            updates = {key: value for key, value in fields.items() if key in details}
            if any(getattr(known, key) != value for key, value in updates.items()):
                for key, value in updates.items():
                    setattr(known, key, value)
                changed.append(known)
        for customer in Customer.objects.bulk_create(missing):
            found[(customer.name, customer.company)] = customer
        Customer.objects.bulk_update(changed, ["segment", "revenue"])
        self.customer_ids = {key: customer.pk for key, customer in found.items()}
        self.outcome.counts["customers"] = {"created": len(missing), "updated": len(changed)}
        existing = self.imported_keys()
        for pk, text in Feedback.objects.filter(product=self.product).values_list("id", "text"):
            existing.setdefault(_text_key(text), pk)
        self.upsert = Upsert(
            Feedback, existing, self.outcome.tally("feedback"), on_created=self.remember()
        )

    def write(self, row: MappedRow) -> None:
        v = row.values
        values: dict[str, Any] = {"text": str(v["text"])}
        _set_if(values, "source", v.get("source"))
        if (customer := self.customer_of(row)) is not None:
            values["customer_id"] = self.customer_ids[customer]
        _set_if(values, "created", v.get("received_at"))
        key = self.key_of(row) or ""
        self.upsert.add(key, values, {"product_id": self.product.pk, "created": self.now})
        if row.line in self.idea_of_line:
            importance = v.get("importance") or "important"
            self.links.append((key, self.idea_of_line[row.line], str(importance)))

    def finish(self) -> None:
        super().finish()
        links = [
            FeedbackLink(feedback_id=self.upsert.existing[key], idea_id=idea, importance=importance)
            for key, idea, importance in self.links
        ]
        FeedbackLink.objects.bulk_create(links, batch_size=1000, ignore_conflicts=True)


def _money(value: Any) -> Decimal:
    try:
        return Decimal(str(value)).quantize(Decimal("0.01"))
    except InvalidOperation:  # pragma: no cover - checked in pass 1
        return Decimal(0)


TARGETS: dict[str, type[_Target]] = {
    "features": _Features,
    "stories": _Stories,
    "ideas": _Ideas,
    "feedback": _Feedback,
}


def import_csv(
    product: Product,
    path: Path,
    *,
    target: str,
    columns: Mapping[str, str],
    tz: tzinfo,
    progress: ProgressCallback | None = None,
) -> Outcome:
    """Import a CSV as `target` records through `columns` ({field: CSV header}); raises
    MappingInvalid for a wrong mapping, ImportFailed (having written nothing) for bad rows."""
    check_mapping(target, columns)
    outcome = Outcome()
    writer = TARGETS[target](product, outcome)
    errors = ErrorCollector()
    parse_failure: ImportFailed | None = None
    with path.open("rb") as stream:
        try:
            rows = iter_mapped_csv(stream, target, columns, tz=tz)
            for row in ticking(rows, stream, progress, 0, CHECKED):
                writer.check(row, errors)
        except ImportFailed as failure:
            parse_failure = failure
    if parse_failure is not None or errors:
        listed = list(parse_failure.errors if parse_failure else ()) + list(errors.failure().errors)
        listed.sort(key=lambda detail: (detail.line, detail.column or 0))
        total = (parse_failure.total if parse_failure else 0) + errors.total
        raise ImportFailed(listed[: errors.limit], total)
    with transaction.atomic():
        writer.before_writing()
        with path.open("rb") as stream:
            rows = iter_mapped_csv(stream, target, columns, tz=tz)
            for row in ticking(rows, stream, progress, CHECKED, 99):
                writer.write(row)
        writer.finish()
    if progress is not None:
        progress(100)
    return outcome
