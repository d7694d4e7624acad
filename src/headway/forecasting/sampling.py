"""Vectorized weekly sampling for the Monte Carlo forecasts.

Every trial is a row of a numpy array and every simulated week a column, so a forecast of
10,000 trials costs a handful of array operations rather than a Python loop per trial.

Future weeks are drawn at random from a window of recent weeks. Two ways to treat the window:

- *plain*: the window is the exact truth about the team's pace (the textbook Monte Carlo
  forecast);
- *resampled* (the default): a window of a few weeks only roughly tells the team's pace, so each
  trial first draws a plausible pace - the mean of a resample, with replacement, of the window,
  relative to the window's own mean - and scales its weeks by it. A longer window of the same
  pace gives plausible paces closer to each other, hence a narrower forecast. Trials keep whole
  items: a trial's total is rounded down, and a backlog counts as done once the scaled total
  reaches it. The scaling is done in integers (totals times the resample's sum over the
  window's sum), so a zero-variance history stays exactly deterministic.

Speed comes from three choices, measured on the benchmark in bench/bench_montecarlo.py:
random 16-bit numbers looked up in a table instead of numpy's bounded integers; one table entry
holding the sum of *two* weeks, so one lookup advances a trial by a fortnight; and work arrays
reused across chunks and batches instead of fresh allocations. Trials are processed in batches
that keep the arrays in the processor's cache and memory bounded whatever the input.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt

IntArray = npt.NDArray[np.int64]
#: Weekly counts are held as 32-bit integers: half the memory traffic of 64-bit, and the input
#: limits (a million items a week, ten years) keep every running total far below 2**31.
CountArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]
LaneArray = npt.NDArray[np.uint16]
Sampling = Literal["plain", "resampled"]

#: Cells (trials x weeks) simulated at once: small enough for a batch's arrays to stay in cache.
BATCH_CELLS: Final = 500_000
_MAX_BATCH_TRIALS: Final = 10_000
_LANES: Final = 1 << 16
_INDICES: Final = np.arange(_LANES, dtype=np.int32)
#: Two-week sums need every ordered pair of window weeks to fit in one 16-bit table.
MAX_PAIRED_WINDOW: Final = 256
#: Largest scope-growth rate drawn from a table; beyond it the table would not fit its counts.
MAX_TABULATED_RATE: Final = 1_000.0


@dataclass(frozen=True, slots=True)
class LookupTable:
    """Maps random 16-bit numbers to values, every value equally often, for exact sampling.

    With 26 values, 65,520 of the 65,536 numbers map to a value (2,520 numbers each) and the
    other 16 map to -1; a draw that lands there is redrawn, so no value is favoured.
    """

    entries: CountArray
    usable: int

    @classmethod
    def of(cls, values: CountArray) -> LookupTable:
        """Return the table of `values` (at most 65,536 of them)."""
        usable = _LANES - _LANES % values.size
        entries = np.full(_LANES, -1, dtype=np.int32)
        entries[:usable] = values[_INDICES[:usable] % values.size]
        entries.flags.writeable = False
        return cls(entries, usable)

    def draw(
        self, rng: np.random.Generator, shape: tuple[int, ...], out: CountArray | None = None
    ) -> tuple[LaneArray, CountArray]:
        """Return the random numbers drawn and the values they map to (written to `out`)."""
        cells = math.prod(shape)
        raw = rng.bit_generator.random_raw((cells + 3) // 4)
        lanes: LaneArray = np.asarray(raw).view(np.uint16)[:cells].reshape(shape)
        # mode="clip" because numpy copies `out` through a temporary under the default mode;
        # every lane is a valid index, so clipping never changes one.
        drawn = np.take(self.entries, lanes, out=out, mode="clip")
        if self.usable < _LANES:
            missed = np.flatnonzero(drawn.ravel() < 0)
            if missed.size:
                redrawn = rng.integers(0, self.usable, size=missed.size).astype(np.uint16)
                lanes.ravel()[missed] = redrawn
                drawn.ravel()[missed] = self.entries[redrawn]
        return lanes, drawn


@dataclass(frozen=True, slots=True)
class PoissonTable:
    """Poisson draws at the speed of a table lookup, exact to double precision.

    Each count k takes floor(65,536 p(k)) entries of a lookup table; the few random numbers left
    over draw from what remains of each probability (p(k) minus its table share), so every count
    keeps its exact Poisson chance. Counts so far out that their chance is below 1e-100 are left
    out. numpy's own Poisson sampler costs about twenty times as much per draw.
    """

    table: LookupTable
    #: Cumulative leftover probability of the counts 0, 1, 2, ...
    leftover: FloatArray

    @classmethod
    def of(cls, rate: float) -> PoissonTable:
        """Return the table of Poisson(`rate`), 0 < rate <= MAX_TABULATED_RATE."""
        top = math.ceil(rate + 40 * math.sqrt(rate) + 40)
        counts = np.arange(1, top + 1, dtype=np.float64)
        log_chances = -rate + np.concatenate([[0.0], np.cumsum(math.log(rate) - np.log(counts))])
        chances = np.exp(log_chances)
        shares = np.floor(chances * _LANES).astype(np.int64)
        entries = np.full(_LANES, -1, dtype=np.int32)
        usable = int(shares.sum())
        entries[:usable] = np.repeat(np.arange(top + 1, dtype=np.int32), shares)
        entries.flags.writeable = False
        leftover = np.cumsum(np.maximum(chances - shares / _LANES, 0.0))
        # Table entries are not equally many per value here, so draws must not be redrawn from
        # the usable part: missed lanes go to the leftover distribution instead.
        return cls(LookupTable(entries, _LANES), leftover)

    def draw(self, rng: np.random.Generator, shape: tuple[int, ...]) -> CountArray:
        """Return Poisson counts of the given shape."""
        drawn = self.table.draw(rng, shape)[1]
        missed = np.flatnonzero(drawn.ravel() < 0)
        if missed.size:
            spot = rng.random(missed.size) * self.leftover[-1]
            found = np.searchsorted(self.leftover, spot, side="right")
            drawn.ravel()[missed] = np.minimum(found, self.leftover.size - 1)
        return drawn


@lru_cache(maxsize=32)
def index_table(size: int) -> LookupTable:
    """Return the lookup table of the indices 0..size-1."""
    return LookupTable.of(_INDICES[:size])


def draw_indices(rng: np.random.Generator, size: int, shape: tuple[int, ...]) -> CountArray:
    """Draw integers uniformly from [0, size) (`size` at most 65,536)."""
    return index_table(size).draw(rng, shape)[1]


def week_multipliers(
    start: date | None, weeks: int, calendar: dict[int, float]
) -> FloatArray | None:
    """Return one throughput multiplier per simulated week, or None when the calendar is empty.

    A week takes the multiplier of the month its middle day (start + 3 days) falls in, so a week
    straddling two months belongs to the one holding most of its days.
    """
    if not calendar or start is None:
        return None
    factors = [
        calendar.get((start + timedelta(days=7 * week + 3)).month, 1.0) for week in range(weeks)
    ]
    return np.asarray(factors, dtype=np.float64)


@dataclass(frozen=True, slots=True)
class WeekSource:
    """The window of recent weeks future weeks are drawn from, and how trials treat it."""

    history: CountArray
    sampling: Sampling
    single: LookupTable = field(init=False, repr=False, compare=False)
    #: Sums of two weeks, for windows short enough to pair every two of their weeks.
    pairs: LookupTable | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "single", LookupTable.of(self.history))
        pairs = None
        if self.history.size <= MAX_PAIRED_WINDOW:
            size = self.history.size
            # Pair code q stands for weeks (q // size, q % size): every ordered pair once.
            codes = np.arange(size * size)
            pairs = LookupTable.of(self.history[codes // size] + self.history[codes % size])
        object.__setattr__(self, "pairs", pairs)

    def first_of_pair(self, lanes: LaneArray) -> CountArray:
        """Return the first week of the two-week sums that `lanes` drew from `pairs`."""
        size = self.history.size
        first: CountArray = self.history[(lanes.astype(np.int32) % (size * size)) // size]
        return first

    @property
    def total(self) -> int:
        """Items finished over the whole window."""
        return int(self.history.sum(dtype=np.int64))

    @property
    def peak(self) -> int:
        """The best week of the window."""
        return int(self.history.max())

    def paces(self, rng: np.random.Generator, trials: int, scratch: Scratch) -> IntArray:
        """Return each trial's plausible window total; its pace is that over `total`."""
        if self.sampling == "plain":
            return np.full(trials, self.total, dtype=np.int64)
        shape = (trials, self.history.size)
        resampled = self.single.draw(rng, shape, scratch.take("counts", shape))[1]
        return resampled.sum(axis=1, dtype=np.int64)

    def sum_weeks(
        self, rng: np.random.Generator, trials: int, weeks: int, scratch: Scratch
    ) -> IntArray:
        """Return, per trial, the items of `weeks` weeks drawn from the window (unscaled)."""
        fortnights = weeks // 2 if self.pairs is not None else 0
        totals = np.zeros(trials, dtype=np.int64)
        if self.pairs is not None and fortnights:
            shape = (trials, fortnights)
            totals += self.pairs.draw(rng, shape, scratch.take("counts", shape))[1].sum(
                axis=1, dtype=np.int64
            )
        if weeks > 2 * fortnights:
            shape = (trials, weeks - 2 * fortnights)
            totals += self.single.draw(rng, shape, scratch.take("counts", shape))[1].sum(
                axis=1, dtype=np.int64
            )
        return totals


@dataclass(frozen=True, slots=True)
class GrowthSource:
    """Draws the number of items added to the backlog each week (scope growth)."""

    rate: float
    history: CountArray | None
    table: LookupTable | None = field(init=False, repr=False, compare=False)
    poisson: PoissonTable | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        table = LookupTable.of(self.history) if self.history is not None else None
        object.__setattr__(self, "table", table)
        tabulated = self.history is None and 0 < self.rate <= MAX_TABULATED_RATE
        object.__setattr__(self, "poisson", PoissonTable.of(self.rate) if tabulated else None)

    def draw(self, rng: np.random.Generator, rows: int, weeks: int) -> CountArray:
        """Return a (rows, weeks) array of items added per week."""
        if self.table is not None:
            return self.table.draw(rng, (rows, weeks))[1]
        if self.poisson is not None:
            return self.poisson.draw(rng, (rows, weeks))
        return rng.poisson(self.rate, size=(rows, weeks)).astype(np.int32)

    @property
    def mean(self) -> float:
        """Mean number of items added per week."""
        return float(self.history.mean()) if self.history is not None else self.rate


class Scratch:
    """Work arrays reused from chunk to chunk and batch to batch of one simulation.

    Allocating fresh large arrays costs page faults each time; on the hot path that was about
    half of the run time.
    """

    __slots__ = ("_buffers", "_cells")

    def __init__(self, cells: int) -> None:
        self._cells = cells
        self._buffers: dict[str, npt.NDArray[Any]] = {}

    def take(self, name: str, shape: tuple[int, ...], dtype: type = np.int32) -> CountArray:
        """Return a view of buffer `name` with `shape` (its contents are left as they were)."""
        cells = math.prod(shape)
        buffer = self._buffers.get(name)
        if buffer is None or buffer.dtype != dtype or buffer.size < cells:
            buffer = self._buffers[name] = np.empty(max(cells, self._cells), dtype=dtype)
        view: CountArray = buffer[:cells].reshape(shape)
        return view


def batch_sizes(trials: int, width: int) -> list[int]:
    """Split `trials` into batches of at most `BATCH_CELLS` cells of `width` weeks."""
    per_batch = max(1, min(_MAX_BATCH_TRIALS, BATCH_CELLS // max(width, 1)))
    full, rest = divmod(trials, per_batch)
    return [per_batch] * full + ([rest] if rest else [])


def simulate_totals(
    rng: np.random.Generator,
    source: WeekSource,
    trials: int,
    weeks: int,
    multipliers: FloatArray | None,
) -> FloatArray:
    """Return the whole items finished in `weeks` weeks, one total per trial."""
    totals: list[FloatArray] = []
    sizes = batch_sizes(trials, max(source.history.size, weeks))
    scratch = Scratch(sizes[0] * max(source.history.size, weeks))
    for size in sizes:
        paces = source.paces(rng, size, scratch)
        if multipliers is None:
            raw = source.sum_weeks(rng, size, weeks, scratch)
            totals.append(((raw * paces) // source.total).astype(np.float64))
        else:
            drawn = source.single.draw(rng, (size, weeks))[1]
            scaled = (drawn @ multipliers) * paces / source.total
            totals.append(np.floor(scaled + 1e-9))
    return np.concatenate(totals)


def simulate_completion(
    rng: np.random.Generator,
    source: WeekSource,
    *,
    remaining: int,
    trials: int,
    horizon: int,
    multipliers: FloatArray | None,
    growth: GrowthSource | None,
) -> FloatArray:
    """Return, per trial, when `remaining` items are done, in weeks from the start.

    The value is fractional: 4.25 means done a quarter into week 5, assuming the items of a week
    are finished evenly through it (its ceiling is the week in which the backlog was emptied).
    The fraction keeps later widening from being distorted by whole-week steps. Trials not done
    within `horizon` weeks get infinity. Weeks are simulated in chunks, each later chunk only
    for the trials still running, so the work is close to what the trials need rather than
    `horizon` weeks for everyone.
    """
    if remaining == 0:
        return np.zeros(trials)
    first_chunk = _first_chunk(source, remaining, horizon, multipliers, growth)
    if multipliers is None and growth is None:
        return _completion_at_paces(rng, source, remaining, trials, horizon, first_chunk)
    return _completion_week_by_week(
        rng, source, remaining, trials, horizon, first_chunk, multipliers, growth
    )


def _completion_at_paces(
    rng: np.random.Generator,
    source: WeekSource,
    remaining: int,
    trials: int,
    horizon: int,
    first_chunk: int,
) -> FloatArray:
    """The fast path: integer totals, two weeks per draw when the window allows it."""
    step = 2 if source.pairs is not None and horizon % 2 == 0 else 1
    table = source.pairs if step == 2 and source.pairs is not None else source.single
    # No trial gets more raw items than this within the horizon; needing more means never.
    reachable = horizon * source.peak
    results: list[FloatArray] = []
    width = max(source.history.size, math.ceil(first_chunk / step))
    sizes = batch_sizes(trials, width)
    scratch = Scratch(sizes[0] * width)
    for size in sizes:
        paces = source.paces(rng, size, scratch)
        # A trial at pace p needs remaining * total / p raw items: in integers, rounded up.
        owed = remaining * source.total
        safe = np.maximum(paces, 1)
        need = np.where(paces > 0, -(-owed // safe), reachable + 1)
        exact = np.where(paces > 0, owed / safe, np.inf)
        finished_in = np.full(size, np.inf)
        running = np.flatnonzero(need <= reachable).astype(np.int32)
        still = need[running].astype(np.int32)
        still_exact = exact[running]
        week, steps = 0, math.ceil(first_chunk / step)
        while running.size and week < horizon:
            shape = (running.size, min(steps, (horizon - week) // step))
            lanes, drawn = table.draw(rng, shape, scratch.take("counts", shape))
            reached = np.cumsum(drawn, axis=1, dtype=np.int32, out=scratch.take("reached", shape))
            done = np.greater_equal(
                reached, still[:, np.newaxis], out=scratch.take("done", shape, np.bool_)
            )
            first = done.argmax(axis=1)
            hit = done[np.arange(running.size), first]
            if hit.any():
                rows, at = np.flatnonzero(hit), first[hit]
                after = reached[rows, at]
                before = np.where(at > 0, reached[rows, np.maximum(at - 1, 0)], 0)
                offset = at * step
                if step == 2:
                    middle = before + source.first_of_pair(lanes[rows, at])
                    in_first_week = middle >= still[rows]
                    before = np.where(in_first_week, before, middle)
                    after = np.where(in_first_week, middle, after)
                    offset = offset + np.where(in_first_week, 0, 1)
                # `before` < the exact need <= `after`, so the share lies in (0, 1].
                share = (still_exact[rows] - before) / (after - before)
                finished_in[running[rows]] = week + offset + share
            carried = reached[:, -1]
            going_on = ~hit
            running = running[going_on]
            still = (still - carried)[going_on]
            still_exact = (still_exact - carried)[going_on]
            week += shape[1] * step
            steps = max(4, math.ceil(first_chunk / step / 10))
        results.append(finished_in)
    return np.concatenate(results)


def _completion_week_by_week(
    rng: np.random.Generator,
    source: WeekSource,
    remaining: int,
    trials: int,
    horizon: int,
    first_chunk: int,
    multipliers: FloatArray | None,
    growth: GrowthSource | None,
) -> FloatArray:
    """The general path: weekly amounts scaled by pace and calendar, minus added scope."""
    results: list[FloatArray] = []
    sizes = batch_sizes(trials, max(source.history.size, first_chunk))
    scratch = Scratch(sizes[0] * max(source.history.size, first_chunk))
    for size in sizes:
        scale = source.paces(rng, size, scratch) / source.total
        finished_in = np.full(size, np.inf)
        running = np.flatnonzero(scale > 0).astype(np.int32)
        still = np.full(running.size, float(remaining))
        week, chunk = 0, first_chunk
        while running.size and week < horizon:
            span = min(chunk, horizon - week)
            shape = (running.size, span)
            drawn = source.single.draw(rng, shape, scratch.take("counts", shape))[1]
            net = drawn * scale[running][:, np.newaxis]
            if multipliers is not None:
                net *= multipliers[week : week + span]
            if growth is not None:
                net -= growth.draw(rng, running.size, span)
            reached = np.cumsum(net, axis=1)
            # Scaled amounts are not whole numbers; a hair of tolerance keeps 2.9999999 items
            # from missing a backlog of 3.
            done = reached >= still[:, np.newaxis] - 1e-9
            first = done.argmax(axis=1)
            hit = done[np.arange(running.size), first]
            if hit.any():
                rows, at = np.flatnonzero(hit), first[hit]
                after = reached[rows, at]
                before = np.where(at > 0, reached[rows, np.maximum(at - 1, 0)], 0.0)
                share = np.clip((still[rows] - before) / (after - before), 0.0, 1.0)
                finished_in[running[rows]] = week + at + share
            going_on = ~hit
            still = (still - reached[:, -1])[going_on]
            running = running[going_on]
            week += span
            chunk = max(8, math.ceil(first_chunk / 10))
        results.append(finished_in)
    return np.concatenate(results)


def _first_chunk(
    source: WeekSource,
    remaining: int,
    horizon: int,
    multipliers: FloatArray | None,
    growth: GrowthSource | None,
) -> int:
    """Guess how many weeks most trials need, so one chunk finishes many of them.

    A tight guess wastes less work on trials that are already done; the trials still running
    after it continue in short chunks.
    """
    rate = float(source.history.mean())
    if multipliers is not None:
        rate *= float(multipliers.mean())
    if growth is not None:
        rate -= growth.mean
    if rate <= 0:
        return horizon
    return max(4, min(horizon, math.ceil(remaining / rate * 1.05) + 2))
