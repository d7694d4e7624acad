"""Similar ideas, for `GET /ideas/{id}/similar`, the merge chooser and the suggestions shown
while someone types an idea or feedback — one `SimilarityIndex` per product, kept warm.

Building an index costs about a second per 1,500 ideas (docs/similarity.md), a query about a
millisecond, so the index is built once and then kept fresh incrementally:

- each process holds its products' indexes in memory, each stamped with the product's idea
  count and latest `updated`; one cheap query per use compares the stamp with the database;
- when they differ, only the ideas changed since are re-indexed (new and edited ones), and
  deleted ones are dropped when the count says so — no rebuild;
- a built index is also put in the cache (`to_bytes`), so another process or a restart loads
  it in a fraction of the build time and catches up the same way;
- a product too large to build within a request is built by a background task; until it is
  ready its suggestions are empty (in development tasks run at once, so this never shows).

The index is not thread-safe, so each one is used under its own lock.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Max
from django.tasks import task

from headway.discovery.models import Idea, IdeaStatus
from headway.discovery.similarity import Doc, SimilarityIndex
from headway.products.models import Product

logger = logging.getLogger("headway.discovery")

#: Products with more ideas than this are indexed by a background task, not in a request.
BUILD_IN_REQUEST = 2_000
#: Live suggestions below this score are noise (a shared common word), not a similar idea.
MIN_SCORE = 0.1
#: How long a serialized index stays in the cache; it is refreshed whenever it is rebuilt.
CACHE_SECONDS = 7 * 24 * 3600

Stamp = tuple[int, dt.datetime | None]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """An idea and how similar it is (0–1, 1 for the same words throughout)."""

    idea: Idea
    score: float


@dataclass
class _Entry:
    index: SimilarityIndex
    stamp: Stamp
    lock: threading.Lock = field(default_factory=threading.Lock)


_entries: dict[int, _Entry] = {}
_entries_lock = threading.Lock()


def _stamp(product_id: int) -> Stamp:
    row = Idea.objects.filter(product_id=product_id).aggregate(n=Count("id"), latest=Max("updated"))
    return row["n"], row["latest"]


def _docs(product_id: int, **filters: object) -> list[Doc]:
    rows = Idea.objects.filter(product_id=product_id, **filters).values_list(
        "id", "title", "description"
    )
    return [Doc(pk, title, description) for pk, title, description in rows]


def _cache_key(product_id: int) -> str:
    return f"similarity:{product_id}"


def build(product_id: int) -> _Entry:
    """Build the product's index from scratch, keep it in this process and in the cache."""
    stamp = _stamp(product_id)
    entry = _Entry(SimilarityIndex.build(_docs(product_id)), stamp)
    cache.set(_cache_key(product_id), (stamp, entry.index.to_bytes()), CACHE_SECONDS)
    with _entries_lock:
        _entries[product_id] = entry
    return entry


@task()
def build_in_background(product_id: int) -> int:
    """The background build of a large product's index; returns how many ideas it holds."""
    return len(build(product_id).index)


def _catch_up(product_id: int, entry: _Entry, current: Stamp) -> None:
    """Bring an index from its stamp to `current`: re-index changed ideas, drop deleted ones."""
    _, latest = entry.stamp
    changed = _docs(product_id, updated__gte=latest) if latest else _docs(product_id)
    for doc in changed:
        if doc.id in entry.index:
            entry.index.remove(doc.id)
        entry.index.add(doc)
    if len(entry.index) != current[0]:
        existing = set(Idea.objects.filter(product_id=product_id).values_list("id", flat=True))
        for gone in set(entry.index.ids()) - existing:
            entry.index.remove(gone)
    entry.stamp = current


def _entry(product_id: int) -> _Entry | None:
    """The product's index, fresh, or None while a large one is being built elsewhere."""
    current = _stamp(product_id)
    with _entries_lock:
        entry = _entries.get(product_id)
    if entry is None:
        cached = cache.get(_cache_key(product_id))
        if cached is not None:
            try:
                entry = _Entry(SimilarityIndex.from_bytes(cached[1]), cached[0])
            except ValueError:
                logger.warning("unreadable cached similarity index for product %s", product_id)
        if entry is None:
            if current[0] > BUILD_IN_REQUEST:
                build_in_background.enqueue(product_id)
                with _entries_lock:
                    return _entries.get(product_id)  # built already if tasks run at once
            return build(product_id)
        with _entries_lock:
            entry = _entries.setdefault(product_id, entry)
    if entry.stamp != current:
        with entry.lock:
            if entry.stamp != current:
                _catch_up(product_id, entry, current)
    return entry


def forget() -> None:
    """Drop every index held by this process (tests; after restoring a backup)."""
    with _entries_lock:
        _entries.clear()


def _ideas(product_id: int, scored: list[tuple[int, float]], limit: int) -> list[Suggestion]:
    ideas = Idea.objects.filter(product_id=product_id, pk__in=[pk for pk, _ in scored]).exclude(
        status=IdeaStatus.DUPLICATE
    )
    by_id = {idea.pk: idea for idea in ideas}
    return [Suggestion(by_id[pk], score) for pk, score in scored if pk in by_id][:limit]


def for_text(
    product: Product,
    title: str,
    body: str = "",
    *,
    exclude: int | None = None,
    limit: int = 5,
) -> list[Suggestion]:
    """The product's ideas most like a draft (an idea's title and description, or a piece of
    feedback as `title`), best first; only those similar enough to be worth a look."""
    if not (title.strip() or body.strip()):
        return []
    entry = _entry(product.pk)
    if entry is None:
        return []
    with entry.lock:
        matches = entry.index.query(title, body, k=limit * 3, exclude=[exclude] if exclude else [])
    scored = [(m.id, m.score) for m in matches if m.score >= MIN_SCORE]
    return _ideas(product.pk, scored, limit)


def for_idea(idea: Idea, limit: int = 5) -> list[Suggestion]:
    """The ideas of the same product most like `idea`, best first (candidates to merge)."""
    entry = _entry(idea.product_id)
    if entry is None or idea.pk not in entry.index:
        return []
    with entry.lock:
        matches = entry.index.similar_to(idea.pk, k=limit * 3)
    return _ideas(idea.product_id, [(m.id, m.score) for m in matches], limit)
