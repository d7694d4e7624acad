"""Similar ideas and duplicate detection: a TF-IDF index with a neighbourhood correction, in numpy.

A document is a title and a body (the body cut to its first `body_chars` characters, where a
report states its problem before the logs). Its main vector, the ``words`` channel, holds:

- words, lower-cased, stop words dropped, reduced by a small suffix stemmer (`text.stem`);
- identifiers split into their words and also kept whole: ``getFileStatus`` gives "get",
  "fil", "status" and "getfilestatus"; likewise ``org.apache.Foo``, ``snake_case``,
  ``HADOOP-1234`` and ``2.9.10``, so both a shared concept and an exact shared name count;
- the title's words counted `title_weight` times: a title is the author's own summary.

Weights are ``1 + ln tf`` (a word repeated in a stack trace should not drown the rest) times
the BM25 IDF ``ln(1 + (N - df + 0.5) / (df + 0.5))``; documents are compared by cosine.
Four optional channels (title only, identifiers only, character 3-5-grams of the title, title
word bigrams) can be mixed in by weight; the score is then the weighted mean of the channel
cosines over the channels where the query has any term. docs/similarity.md shows why they are
off by default: on real duplicate reports they did not help.

The raw cosine favours "hubs": documents close to many others (the fifth "upgrade library X"
report) crowd the top of every list. Each document's neighbourhood density r (the mean
similarity of its `density_neighbours` nearest documents) discounts its matches, as in CSLS
(Conneau et al., 2018), rescaled so that 1 stays 1: ``max(0, s - r/2) / (1 - r/2)``. Scores
lie in [0, 1] and an identical document scores 1.

Storage is an inverted index (postings per feature, CSC by hand) in a main segment plus a small
tail for recent additions, so `add` costs one document's analysis; removals are masked and
dropped at the next compaction. IDF and norms are refreshed lazily, so an index updated
incrementally scores exactly as one rebuilt from the same documents; neighbourhood densities
are maintained incrementally and match a rebuild exactly after `refresh_neighbourhoods`.
"""

from __future__ import annotations

import io
import json
import math
import zipfile
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from headway.discovery.text import analyze, char_ngrams

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

#: Channel names, in the order of their prefixes in the feature vocabulary.
CHANNELS: Final = ("words", "title", "code", "chars", "bigrams")
_PREFIXES: Final = ("w:", "t:", "c:", "g:", "b:")
_FORMAT: Final = "headway-similarity/1"


class SimilarityError(ValueError):
    """Bad input to the similarity index; `field` names the offending argument."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True, slots=True)
class Doc:
    """One document to index: an idea, a piece of feedback, a bug report."""

    id: int
    title: str
    body: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """A similar document and its score in [0, 1] (1 means the same words throughout)."""

    id: int
    score: float


@dataclass(frozen=True, slots=True)
class SimilarityConfig:
    """How documents are turned into vectors and how the channels are mixed.

    The defaults are generic choices explained in docs/similarity.md, not tuned to one data set.
    A weight of 0 switches a channel off.
    """

    title_weight: float = 3.0
    body_chars: int = 2000
    words_weight: float = 1.0
    title_channel_weight: float = 0.0
    code_weight: float = 0.0
    chars_weight: float = 0.0
    bigrams_weight: float = 0.0
    char_ngram_min: int = 3
    char_ngram_max: int = 5
    stem_words: bool = True
    split_code: bool = True
    sublinear_tf: bool = True
    probabilistic_idf: bool = True
    density_neighbours: int = 10

    def channel_weights(self) -> tuple[float, ...]:
        """The weights in the order of `CHANNELS`."""
        return (
            self.words_weight,
            self.title_channel_weight,
            self.code_weight,
            self.chars_weight,
            self.bigrams_weight,
        )

    def validated(self) -> SimilarityConfig:
        """Return self, or raise `SimilarityError` naming the first unusable setting."""
        if not all(math.isfinite(w) and w >= 0 for w in self.channel_weights()):
            raise SimilarityError("config", "channel weights must be finite and not negative")
        if not any(self.channel_weights()):
            raise SimilarityError("config", "at least one channel weight must be positive")
        if not (math.isfinite(self.title_weight) and self.title_weight > 0):
            raise SimilarityError("title_weight", "must be a positive number")
        if self.body_chars < 0:
            raise SimilarityError("body_chars", "must not be negative")
        if not 0 <= self.density_neighbours <= 100:
            raise SimilarityError("density_neighbours", "must be between 0 and 100")
        if not 1 <= self.char_ngram_min <= self.char_ngram_max <= 10:
            raise SimilarityError(
                "char_ngram_min", "n-gram sizes must satisfy 1 <= min <= max <= 10"
            )
        return self


# ---------------------------------------------------------------------------------------------
# Document features (the text analysis itself is in headway.discovery.text)


def _tf(count: float, sublinear: bool) -> float:
    # 1 + ln(tf) damps a word repeated twenty times in a stack trace; below 1 (a fractional
    # title weight) it stays linear so the curve is continuous.
    if sublinear and count > 1.0:
        return 1.0 + math.log(count)
    return count


def _count(counts: dict[str, float], terms: Iterable[str], weight: float) -> None:
    for term in terms:
        counts[term] = counts.get(term, 0.0) + weight


def document_features(title: str, body: str, config: SimilarityConfig) -> dict[str, float]:
    """The sparse vector of one document: prefixed feature name -> term-frequency weight."""
    title_an = analyze(title, stem_words=config.stem_words, split_code=config.split_code)
    body_an = analyze(
        body[: config.body_chars], stem_words=config.stem_words, split_code=config.split_code
    )
    counts: list[dict[str, float]] = [{} for _ in CHANNELS]
    weights = config.channel_weights()
    title_weight = config.title_weight
    if weights[0]:
        _count(counts[0], title_an.words, title_weight)
        _count(counts[0], body_an.words, 1.0)
    if weights[1]:
        _count(counts[1], title_an.words, 1.0)
    if weights[2]:
        _count(counts[2], title_an.compounds, title_weight)
        _count(counts[2], body_an.compounds, 1.0)
    if weights[3]:
        grams = char_ngrams(title_an.surface, config.char_ngram_min, config.char_ngram_max)
        _count(counts[3], grams, 1.0)
    if weights[4]:
        compounds = set(title_an.compounds)
        title_words = [w for w in title_an.words if w not in compounds]
        pairs = [f"{a} {b}" for a, b in zip(title_words, title_words[1:], strict=False)]
        _count(counts[4], pairs, 1.0)
    features: dict[str, float] = {}
    for prefix, channel_counts in zip(_PREFIXES, counts, strict=True):
        for term, count in channel_counts.items():
            features[prefix + term] = _tf(count, config.sublinear_tf)
    return features


# ---------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True, slots=True)
class _Segment:
    """Postings of a block of rows grouped by feature (CSC): the rows holding feature f are
    rows[indptr[f]:indptr[f + 1]]. Features newer than the segment have no postings in it."""

    indptr: IntArray
    rows: IntArray
    features: IntArray
    values: FloatArray

    @classmethod
    def from_rows(
        cls, first_row: int, feats: list[IntArray], vals: list[FloatArray], n_features: int
    ) -> _Segment:
        lengths = np.fromiter((len(f) for f in feats), dtype=np.int64, count=len(feats))
        row_ids = np.repeat(np.arange(first_row, first_row + len(feats), dtype=np.int64), lengths)
        all_feats = np.concatenate([_EMPTY_INT, *feats])
        all_vals = np.concatenate([_EMPTY_FLOAT, *vals])
        order = np.argsort(all_feats, kind="stable")
        indptr = np.zeros(n_features + 1, dtype=np.int64)
        np.cumsum(np.bincount(all_feats, minlength=n_features), out=indptr[1:])
        return cls(indptr, row_ids[order], all_feats[order], all_vals[order])

    def gather(self, feats: IntArray) -> tuple[IntArray, IntArray]:
        """Positions of the postings of `feats` (concatenated), and how many each one has."""
        last = len(self.indptr) - 1
        known = feats < last
        starts = np.where(known, self.indptr[np.minimum(feats, last)], 0)
        lengths = np.where(known, self.indptr[np.minimum(feats + 1, last)] - starts, 0)
        shifts = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
        return np.arange(int(lengths.sum()), dtype=np.int64) + shifts, lengths


_EMPTY_INT: Final = np.empty(0, dtype=np.int64)
_EMPTY_FLOAT: Final = np.empty(0, dtype=np.float64)


class SimilarityIndex:
    """Documents indexed for "which ones are most like this one", best first.

    Not thread-safe: queries refresh lazily computed statistics in place. Build one per product
    and worker, or guard it with a lock.
    """

    _TAIL_MIN: Final = 256
    _BATCH: Final = 32
    _MAX_DENSE: Final = 256

    def __init__(self, config: SimilarityConfig | None = None) -> None:
        self.config = (config or SimilarityConfig()).validated()
        self._channel_weights = np.array(self.config.channel_weights(), dtype=np.float64)
        self._k = self.config.density_neighbours
        self._vocab: dict[str, int] = {}
        self._channel_of = np.zeros(1024, dtype=np.int64)
        self._df = np.zeros(1024, dtype=np.float64)
        self._ids: list[int] = []  # row -> document id; -1 once removed
        self._row_of: dict[int, int] = {}
        self._feats: list[IntArray] = []
        self._vals: list[FloatArray] = []
        self._main: _Segment | None = None
        self._main_rows = 0
        self._tail: _Segment | None = None
        self._dead_rows = 0
        # Per segment, each posting's idf-weighted value divided by its row's channel norm.
        self._unit_values: tuple[FloatArray, FloatArray] | None = None
        self._alive: npt.NDArray[np.bool_] = np.zeros(0, dtype=np.bool_)
        # Each row's k best neighbours (unordered; row -1 and similarity 0 pad short lists).
        self._knn_rows = np.full((0, self._k), -1, dtype=np.int64)
        self._knn_sims = np.zeros((0, self._k), dtype=np.float64)
        self._stale: set[int] = set()  # rows whose neighbour list must be recomputed
        self._new: set[int] = set()  # rows not yet offered as neighbours to the others

    # -- building and updating ----------------------------------------------------------------

    @classmethod
    def build(cls, docs: Iterable[Doc], config: SimilarityConfig | None = None) -> SimilarityIndex:
        """Index `docs` (ids must be unique) and prepare it for queries."""
        index = cls(config)
        for doc in docs:
            index.add(doc)
        index._refresh()
        return index

    def __len__(self) -> int:
        return len(self._row_of)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._row_of

    def ids(self) -> list[int]:
        """The ids of the indexed documents, in insertion order."""
        return [doc_id for doc_id in self._ids if doc_id != -1]

    def add(self, doc: Doc) -> None:
        """Index one more document; raises `SimilarityError` if its id is already indexed.

        Cheap: the statistics it changes are refreshed by the next query.
        """
        _check_doc(doc)
        if doc.id in self._row_of:
            raise SimilarityError("id", f"document {doc.id} is already indexed")
        features = document_features(doc.title, doc.body, self.config)
        feats = np.fromiter(map(self._feature_id, features), dtype=np.int64, count=len(features))
        # Kept at float32 precision so that a serialized index scores exactly like this one.
        vals = np.fromiter(features.values(), dtype=np.float32, count=len(features))
        self._df[feats] += 1.0
        row = len(self._ids)
        self._row_of[doc.id] = row
        self._ids.append(doc.id)
        self._feats.append(feats)
        self._vals.append(vals.astype(np.float64))
        if row >= len(self._knn_rows):  # grow by doubling, so adding stays O(1) amortised
            spare = max(64, row)
            self._knn_rows = np.vstack([self._knn_rows, np.full((spare, self._k), -1)])
            self._knn_sims = np.vstack([self._knn_sims, np.zeros((spare, self._k))])
        self._stale.add(row)
        self._new.add(row)
        self._tail = None
        self._unit_values = None

    def remove(self, doc_id: int) -> None:
        """Forget a document; raises `SimilarityError` if it is not indexed."""
        row = self._row_of.pop(doc_id, None)
        if row is None:
            raise SimilarityError("id", f"document {doc_id} is not indexed")
        self._df[self._feats[row]] -= 1.0
        self._ids[row] = -1
        self._feats[row] = _EMPTY_INT
        self._vals[row] = _EMPTY_FLOAT
        self._dead_rows += 1
        self._stale.discard(row)
        self._new.discard(row)
        self._knn_rows[row] = -1
        self._knn_sims[row] = 0.0
        # Whoever counted this document among its neighbours must look again.
        listed = (self._knn_rows[: len(self._ids)] == row).any(axis=1)
        self._stale.update(np.flatnonzero(listed).tolist())
        self._unit_values = None

    def refresh_neighbourhoods(self) -> None:
        """Recompute every document's neighbourhood density from scratch.

        Additions and removals update densities incrementally, with the similarities of the
        moment; as IDF drifts these lag a rebuild slightly. After this call the index scores
        exactly as one built from the same documents.
        """
        self._stale.update(row for row, doc_id in enumerate(self._ids) if doc_id != -1)
        self._new.clear()
        self._refresh()

    def _feature_id(self, name: str) -> int:
        feature = self._vocab.get(name)
        if feature is None:
            feature = len(self._vocab)
            self._vocab[name] = feature
            if feature >= len(self._df):
                self._df = np.concatenate([self._df, np.zeros_like(self._df)])
                self._channel_of = np.concatenate([self._channel_of, self._channel_of * 0])
            self._channel_of[feature] = _PREFIXES.index(name[:2])
        return feature

    def _compact(self) -> None:
        """Drop removed rows and unused features, renumbering both."""
        keep = np.array([doc_id != -1 for doc_id in self._ids], dtype=np.bool_)
        if not keep.all():
            new_row = np.where(keep, np.cumsum(keep) - 1, -1)
            kept = np.flatnonzero(keep).tolist()
            self._ids = [self._ids[row] for row in kept]
            self._feats = [self._feats[row] for row in kept]
            self._vals = [self._vals[row] for row in kept]
            self._row_of = {doc_id: row for row, doc_id in enumerate(self._ids)}
            knn = self._knn_rows[: len(keep)][keep]
            self._knn_rows = np.where(knn >= 0, new_row[np.maximum(knn, 0)], -1)
            self._knn_sims = self._knn_sims[: len(keep)][keep]
            self._stale = {int(new_row[row]) for row in self._stale if keep[row]}
            self._new = {int(new_row[row]) for row in self._new if keep[row]}
            self._dead_rows = 0
        n_features = len(self._vocab)
        used = self._df[:n_features] > 0
        if not used.all():
            new_feature = np.cumsum(used) - 1
            names = [name for name, keep_it in zip(self._vocab, used, strict=True) if keep_it]
            self._vocab = {name: i for i, name in enumerate(names)}
            self._df = np.concatenate([self._df[:n_features][used], np.zeros(1024)])
            channels = self._channel_of[:n_features][used]
            self._channel_of = np.concatenate([channels, np.zeros(1024, dtype=np.int64)])
            self._feats = [new_feature[f] for f in self._feats]

    def _refresh(self) -> None:
        """Bring postings, norms and neighbourhood densities up to date with the documents."""
        tail_rows = len(self._ids) - self._main_rows
        if (
            self._main is None
            or self._dead_rows > len(self._ids) // 4
            or tail_rows > max(self._TAIL_MIN, self._main_rows // 8)
        ):
            self._compact()
            self._main = _Segment.from_rows(0, self._feats, self._vals, len(self._vocab))
            self._main_rows = len(self._ids)
            self._tail = None
            self._unit_values = None
        if self._tail is None:
            start = self._main_rows
            self._tail = _Segment.from_rows(
                start, self._feats[start:], self._vals[start:], len(self._vocab)
            )
        if self._unit_values is None:
            self._unit_values = self._normalized_values()
            self._alive = np.array([doc_id != -1 for doc_id in self._ids], dtype=np.bool_)
        if self._k and self._stale:
            self._update_neighbourhoods()

    def _normalized_values(self) -> tuple[FloatArray, FloatArray]:
        assert self._main is not None and self._tail is not None
        idf = self._idf()
        n_channels = len(CHANNELS)
        squares = np.zeros(len(self._ids) * n_channels)
        slots, weights = [], []
        for segment in (self._main, self._tail):
            slots.append(segment.rows * n_channels + self._channel_of[segment.features])
            weights.append(segment.values * idf[segment.features])
            squares += np.bincount(slots[-1], weights=weights[-1] ** 2, minlength=len(squares))
        with np.errstate(divide="ignore"):
            inverse = 1.0 / np.sqrt(squares)
        inverse[~np.isfinite(inverse)] = 0.0
        return weights[0] * inverse[slots[0]], weights[1] * inverse[slots[1]]

    def _common_matrix(self) -> tuple[IntArray, FloatArray]:
        """Dense (rows x features) unit weights of the features in more than 10 % of documents.

        They make most of the work of an all-pairs pass (a word in half the documents has
        half the documents as postings); as a dense block they go through BLAS instead.
        """
        assert self._main is not None and self._tail is not None and self._unit_values
        n_features = len(self._vocab)
        threshold = max(8.0, 0.1 * len(self._row_of))
        common = np.flatnonzero(self._df[:n_features] > threshold)
        common = common[np.argsort(-self._df[common], kind="stable")[: self._MAX_DENSE]]
        column = np.full(n_features, -1, dtype=np.int64)
        column[common] = np.arange(len(common))
        matrix = np.zeros((len(self._ids), len(common)))
        for segment, unit in zip((self._main, self._tail), self._unit_values, strict=True):
            cols = column[segment.features]
            mask = cols >= 0
            matrix[segment.rows[mask], cols[mask]] = unit[mask]
        return column, matrix

    def _update_neighbourhoods(self) -> None:
        stale = sorted(self._stale)
        k = self._k
        settled = self._alive.copy()
        settled[stale] = False
        dense = self._common_matrix() if len(stale) >= self._BATCH else None
        for start in range(0, len(stale), self._BATCH):
            rows = stale[start : start + self._BATCH]
            scores = self._cosines([(self._feats[r], self._vals[r], None) for r in rows], dense)
            scores[:, ~self._alive] = 0.0
            scores[np.arange(len(rows)), rows] = 0.0
            if scores.shape[1] > k:
                best = np.argpartition(scores, -k, axis=1)[:, -k:]
            else:
                best = np.tile(np.arange(scores.shape[1]), (len(rows), 1))
            sims = np.take_along_axis(scores, best, axis=1)
            self._knn_rows[rows] = -1
            self._knn_sims[rows] = 0.0
            width = best.shape[1]
            self._knn_rows[rows, :width] = np.where(sims > 0, best, -1)
            self._knn_sims[rows, :width] = sims
            # A new document may displace the weakest neighbour of a document whose list is
            # not being recomputed anyway.
            for offset, row in enumerate(rows):
                if row in self._new and settled.any():
                    self._offer(row, np.where(settled, scores[offset], 0.0))
        self._stale.clear()
        self._new.clear()

    def _offer(self, row: int, similarities: FloatArray) -> None:
        sims = self._knn_sims[: len(similarities)]
        weakest = sims.argmin(axis=1)
        closer = np.flatnonzero(similarities > sims[np.arange(len(weakest)), weakest])
        self._knn_rows[closer, weakest[closer]] = row
        self._knn_sims[closer, weakest[closer]] = similarities[closer]

    def _idf(self) -> FloatArray:
        # Robertson-Sparck Jones IDF as in BM25, kept positive: a word in most documents weighs
        # almost nothing, one in a handful weighs a lot. Unseen features have df 0.
        n_docs = len(self._row_of)
        if self.config.probabilistic_idf:
            return np.log1p((n_docs - self._df + 0.5) / (self._df + 0.5))
        return np.log((n_docs + 1.0) / (self._df + 1.0)) + 1.0

    # -- querying ----------------------------------------------------------------------------

    def similar_to(self, doc_id: int, k: int = 10, exclude: Iterable[int] = ()) -> list[Match]:
        """The `k` indexed documents most similar to document `doc_id` (itself excluded)."""
        _check_k(k)
        if doc_id not in self._row_of:
            raise SimilarityError("id", f"document {doc_id} is not indexed")
        self._refresh()  # first: a compaction renumbers rows and features
        row = self._row_of[doc_id]
        return self._search(self._feats[row], self._vals[row], None, k, {doc_id, *exclude})

    def query(
        self, title: str, body: str = "", k: int = 10, exclude: Iterable[int] = ()
    ) -> list[Match]:
        """The `k` indexed documents most similar to a draft (title and body), best first."""
        if not isinstance(title, str):
            raise SimilarityError("title", "must be text")
        if not isinstance(body, str):
            raise SimilarityError("body", "must be text")
        _check_k(k)
        if not self._row_of:
            return []
        self._refresh()  # first: a compaction renumbers features
        features = document_features(title, body, self.config)
        known = [
            (self._vocab[name], value) for name, value in features.items() if name in self._vocab
        ]
        # Words no indexed document has still belong to the draft: they lower its cosine with
        # everything, so a long draft sharing two words is not called a duplicate.
        unknown = np.zeros(len(CHANNELS))
        unseen_idf = float(self._idf_of_unseen())
        for name, value in features.items():
            if name not in self._vocab:
                unknown[_PREFIXES.index(name[:2])] += (np.float32(value) * unseen_idf) ** 2
        feats = np.array([f for f, _ in known], dtype=np.int64)
        vals = np.array([v for _, v in known], dtype=np.float32).astype(np.float64)
        return self._search(feats, vals, unknown, k, set(exclude))

    def _idf_of_unseen(self) -> float:
        n_docs = len(self._row_of)
        if self.config.probabilistic_idf:
            return math.log1p((n_docs + 0.5) / 0.5)
        return math.log(n_docs + 1.0) + 1.0

    def _search(
        self,
        feats: IntArray,
        vals: FloatArray,
        unknown_sq: FloatArray | None,
        k: int,
        exclude: set[int],
    ) -> list[Match]:
        scores = self._cosines([(feats, vals, unknown_sq)])[0]
        if self._k:
            # Neighbourhood density: a document that resembles many others (a hub such as the
            # fifth "upgrade library X" report) needs more than its usual similarity to count.
            # Scaled so that 1 stays 1: (s - r/2) / (1 - r/2), r the mean of its k best.
            half_density = self._knn_sims[: len(scores)].sum(axis=1) / (2 * self._k)
            scores = np.maximum(scores - half_density, 0.0) / (1.0 - half_density)
        scores[~self._alive] = 0.0
        for doc_id in exclude:
            row = self._row_of.get(doc_id)
            if row is not None:
                scores[row] = 0.0
        return self._top(scores, k)

    def _cosines(
        self,
        queries: list[tuple[IntArray, FloatArray, FloatArray | None]],
        dense: tuple[IntArray, FloatArray] | None = None,
    ) -> FloatArray:
        """Channel-weighted cosine of each query with every row (queries x rows)."""
        assert self._main is not None and self._tail is not None and self._unit_values
        n_rows, n_channels = len(self._ids), len(CHANNELS)
        lengths = [len(f) for f, _, _ in queries]
        query_of = np.repeat(np.arange(len(queries)), lengths)
        feats = np.concatenate([_EMPTY_INT, *(f for f, _, _ in queries)])
        idf = self._idf()[feats]
        weights = np.concatenate([_EMPTY_FLOAT, *(v for _, v, _ in queries)]) * idf
        slots = query_of * n_channels + self._channel_of[feats]
        norms_sq = np.bincount(slots, weights=weights**2, minlength=len(queries) * n_channels)
        norms_sq = norms_sq.astype(np.float64).reshape(len(queries), n_channels)
        for i, (_, _, unknown) in enumerate(queries):
            if unknown is not None:
                norms_sq[i] += unknown
        # Mean over the channels where the query has words, so an identical document scores 1.
        active = self._channel_weights * (norms_sq > 0)
        totals = active.sum(axis=1, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            per_channel = np.where(norms_sq > 0, active / (totals * np.sqrt(norms_sq)), 0.0)
        coefficients = weights * per_channel.ravel()[slots]
        scores = np.zeros((len(queries), n_rows))
        if dense is not None:
            column, matrix = dense
            cols = column[feats]
            common = cols >= 0
            block = np.zeros((len(queries), matrix.shape[1]))
            block[query_of[common], cols[common]] = coefficients[common]
            scores += block @ matrix.T
            feats, coefficients, query_of = feats[~common], coefficients[~common], query_of[~common]
        flat = scores.ravel()
        for segment, unit in zip((self._main, self._tail), self._unit_values, strict=True):
            positions, counts = segment.gather(feats)
            if not len(positions):
                continue
            contributions = unit[positions] * np.repeat(coefficients, counts)
            targets = np.repeat(query_of * n_rows, counts) + segment.rows[positions]
            flat += np.bincount(targets, weights=contributions, minlength=len(flat))
        return np.minimum(scores, 1.0)

    def _top(self, scores: FloatArray, k: int) -> list[Match]:
        candidates = np.flatnonzero(scores > 1e-12)
        if len(candidates) > k:
            # Keep every row tied with the k-th score, then order by (score desc, id asc) so
            # the answer never depends on row order.
            kth = np.partition(scores[candidates], len(candidates) - k)[len(candidates) - k]
            candidates = candidates[scores[candidates] >= kth]
        ranked = sorted(candidates.tolist(), key=lambda row: (-scores[row], self._ids[row]))[:k]
        return [Match(self._ids[row], float(scores[row])) for row in ranked]

    # -- serialization -----------------------------------------------------------------------

    def to_bytes(self, *, compress: bool = False) -> bytes:
        """A pickle-free form (numpy .npz) to cache a built index, neighbourhoods included.

        `compress` makes it about 2.5 times smaller for about 0.4 s more per 10,000 documents.
        """
        self._main = None  # forces compaction, so removed documents are not written
        self._refresh()
        indptr = np.zeros(len(self._feats) + 1, dtype=np.int64)
        np.cumsum([len(f) for f in self._feats], out=indptr[1:])
        header = {"format": _FORMAT, "config": asdict(self.config)}
        buffer = io.BytesIO()
        (np.savez_compressed if compress else np.savez)(
            buffer,
            header=np.frombuffer(json.dumps(header).encode(), dtype=np.uint8),
            vocabulary=np.frombuffer("\n".join(self._vocab).encode(), dtype=np.uint8),
            ids=np.array(self._ids, dtype=np.int64),
            indptr=indptr,
            features=np.concatenate([_EMPTY_INT, *self._feats]).astype(np.int32),
            values=np.concatenate([_EMPTY_FLOAT, *self._vals]).astype(np.float32),
            knn_rows=self._knn_rows[: len(self._ids)].astype(np.int32),
            knn_sims=self._knn_sims[: len(self._ids)],
        )
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> SimilarityIndex:
        """Load an index written by `to_bytes`; raises `SimilarityError` if `data` is not one."""
        try:
            with np.load(io.BytesIO(data), allow_pickle=False) as archive:
                header = json.loads(archive["header"].tobytes().decode())
                names = archive["vocabulary"].tobytes().decode()
                arrays = {
                    name: archive[name]
                    for name in ("ids", "indptr", "features", "values", "knn_rows", "knn_sims")
                }
            if not isinstance(header, dict) or header.get("format") != _FORMAT:
                raise ValueError("unknown format")
            index = cls(SimilarityConfig(**header["config"]))
        except (OSError, ValueError, KeyError, TypeError, EOFError, zipfile.BadZipFile) as error:
            raise SimilarityError("data", f"not a serialized similarity index ({error})") from error
        vocabulary = names.split("\n") if names else []
        ids, indptr = arrays["ids"].astype(np.int64), arrays["indptr"].astype(np.int64)
        features = arrays["features"].astype(np.int64)
        n_rows = len(ids)
        if (
            len(indptr) != n_rows + 1
            or indptr[-1] != len(features)
            or len(features) != len(arrays["values"])
            or (len(features) and not 0 <= features.min() <= features.max() < len(vocabulary))
            or arrays["knn_rows"].shape != (n_rows, index._k)
            or arrays["knn_sims"].shape != (n_rows, index._k)
            or len(set(ids.tolist())) != n_rows
        ):
            raise SimilarityError("data", "serialized similarity index is inconsistent")
        for name in vocabulary:
            index._feature_id(name)
        index._df[: len(vocabulary)] = np.bincount(features, minlength=len(vocabulary))
        index._ids = ids.tolist()
        index._row_of = {doc_id: row for row, doc_id in enumerate(index._ids)}
        index._feats = np.split(features, indptr[1:-1]) if n_rows else []
        index._vals = np.split(arrays["values"].astype(np.float64), indptr[1:-1]) if n_rows else []
        index._knn_rows = arrays["knn_rows"].astype(np.int64)
        index._knn_sims = arrays["knn_sims"].astype(np.float64)
        index._refresh()
        return index


def _check_k(k: object) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise SimilarityError("k", "must be a whole number of at least 1")


def _check_doc(doc: object) -> None:
    if not isinstance(doc, Doc):
        raise SimilarityError("doc", "must be a Doc(id, title, body)")
    if isinstance(doc.id, bool) or not isinstance(doc.id, int) or doc.id < 0:
        raise SimilarityError("id", "must be a whole number, not negative")
    if not isinstance(doc.title, str):
        raise SimilarityError("title", "must be text")
    if not isinstance(doc.body, str):
        raise SimilarityError("body", "must be text")
