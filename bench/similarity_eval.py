"""Duplicate detection measured on real Hadoop Jira reports: baseline against Headway's method.

For every joinable pair `(Issue id, Duplicate id)` of hadoop-jira-duplicate-pairs.csv, the report
`Issue id` is the query and all other 2,502 reports are ranked; we count how often `Duplicate id`
is first, in the top 3 and in the top 10. This is the direction of the file, used throughout; the
reverse direction and the mean reciprocal rank are reported alongside.

    .venv/bin/python bench/similarity_eval.py            # writes bench/results/similarity.json

The baseline reproduces the data README's figure: TF-IDF (raw tf, smoothed idf, L2 norm, tokens of
two or more word characters, no stop words) of summary x3 + the first 2,000 characters of the
description, cosine similarity.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from functools import partial
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from headway.discovery.similarity import Doc, SimilarityConfig, SimilarityIndex  # noqa: E402

DATA = Path("/work/shared/data")
RESULTS = ROOT / "bench" / "results" / "similarity.json"
CUTOFFS = (1, 3, 10)

#: A scoring function: query document id -> score of every other document it finds similar.
Ranker = Callable[[int], dict[int, float]]


@dataclass(frozen=True, slots=True)
class Report:
    """One Jira report as the evaluation needs it."""

    id: int
    summary: str
    description: str


def load_reports(path: Path) -> list[Report]:
    """All reports of the Jira export (multi-line quoted fields need newline='')."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [
            Report(int(row["Issue id"]), row["Summary"], row["Description"])
            for row in csv.DictReader(handle)
        ]


def load_pairs(path: Path, known: set[int]) -> list[tuple[int, int]]:
    """The duplicate pairs whose two reports are both in the export.

    One row lists two duplicates in one cell ("13547000, 13396667"); like the data README, which
    counts 125 joinable pairs out of 126 rows, we leave that row out rather than guess.
    """
    pairs = []
    with path.open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            issue, duplicate = row["Issue id"].strip(), row["Duplicate id"].strip()
            if issue.isdigit() and duplicate.isdigit():
                pairs.append((int(issue), int(duplicate)))
    return [(a, b) for a, b in pairs if a in known and b in known]


# ---------------------------------------------------------------------------------------------
# Baseline: plain TF-IDF cosine


def baseline_ranker(reports: Sequence[Report], sublinear: bool = False) -> Ranker:
    """TF-IDF cosine over summary x3 + first 2,000 characters of the description.

    Equivalent to scikit-learn's TfidfVectorizer defaults (checked against it once, outside
    this repository): raw counts, idf = ln((1 + N) / (1 + df)) + 1, rows L2-normalized.
    """
    token = re.compile(r"(?u)\b\w\w+\b")
    vocabulary: dict[str, int] = {}
    rows: list[Counter[int]] = []
    for report in reports:
        text = " ".join([report.summary] * 3) + " " + report.description[:2000]
        rows.append(
            Counter(vocabulary.setdefault(t, len(vocabulary)) for t in token.findall(text.lower()))
        )
    n_docs = len(rows)
    df = np.zeros(len(vocabulary))
    for row in rows:
        df[list(row)] += 1
    idf = np.log((1 + n_docs) / (1 + df)) + 1
    matrix = np.zeros((n_docs, len(vocabulary)), dtype=np.float32)
    for i, row in enumerate(rows):
        terms = np.fromiter(row.keys(), dtype=np.int64)
        counts = np.fromiter(row.values(), dtype=np.float64)
        if sublinear:
            counts = 1 + np.log(counts)
        matrix[i, terms] = counts * idf[terms]
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    ids = np.array([r.id for r in reports])
    row_of = {int(doc_id): i for i, doc_id in enumerate(ids)}

    def rank(doc_id: int) -> dict[int, float]:
        row = row_of[doc_id]
        scores = matrix @ matrix[row]
        scores[row] = 0.0
        found = np.flatnonzero(scores > 0)
        return dict(zip(ids[found].tolist(), scores[found].tolist(), strict=True))

    return rank


def headway_ranker(reports: Sequence[Report], config: SimilarityConfig) -> Ranker:
    """Headway's SimilarityIndex, with the given configuration."""
    index = SimilarityIndex.build((Doc(r.id, r.summary, r.description) for r in reports), config)
    total = len(reports)

    def rank(doc_id: int) -> dict[int, float]:
        return {m.id: m.score for m in index.similar_to(doc_id, k=total)}

    return rank


# ---------------------------------------------------------------------------------------------
# Metrics


def rank_of(scores: dict[int, float], target: int) -> float:
    """1 + how many documents score strictly higher than `target` ("competition" ranking, so
    the six identical copies of one report all rank first); infinite if `target` scored 0."""
    if scores.get(target, 0.0) <= 0.0:
        return math.inf
    # Rounding keeps float noise from splitting exact ties (1.0 against 0.9999999999).
    threshold = round(scores[target], 9)
    return 1 + sum(round(score, 9) > threshold for score in scores.values())


def evaluate(rank: Ranker, pairs: Sequence[tuple[int, int]]) -> dict[str, float]:
    """Top-1/3/10 hit rates (in %) and MRR, file direction and reverse direction."""
    result: dict[str, float] = {}
    for label, directed in (("", pairs), ("reverse_", [(b, a) for a, b in pairs])):
        ranks = [rank_of(rank(query), target) for query, target in directed]
        for cutoff in CUTOFFS:
            hits = sum(r <= cutoff for r in ranks)
            result[f"{label}top{cutoff}"] = round(100 * hits / len(ranks), 1)
        result[f"{label}mrr"] = round(sum(1 / r for r in ranks) / len(ranks), 3)
    return result


DEFAULT = SimilarityConfig()

#: The ablation: Headway's method, then one change at a time (name, what changes, config).
VARIANTS: list[tuple[str, str, SimilarityConfig]] = [
    ("headway", "Headway's method (defaults)", DEFAULT),
    (
        "no-density",
        "without the neighbourhood-density correction",
        replace(DEFAULT, density_neighbours=0),
    ),
    (
        "density-k5",
        "density over 5 neighbours instead of 10",
        replace(DEFAULT, density_neighbours=5),
    ),
    (
        "density-k20",
        "density over 20 neighbours instead of 10",
        replace(DEFAULT, density_neighbours=20),
    ),
    (
        "smooth-idf",
        "smoothed IDF ln((N+1)/(df+1))+1 instead of BM25 IDF",
        replace(DEFAULT, probabilistic_idf=False),
    ),
    ("raw-tf", "raw term frequency instead of 1 + ln tf", replace(DEFAULT, sublinear_tf=False)),
    ("no-stemming", "no stemming", replace(DEFAULT, stem_words=False)),
    ("no-code-split", "identifiers not split into words", replace(DEFAULT, split_code=False)),
    ("title-x1", "title counted once", replace(DEFAULT, title_weight=1.0)),
    ("title-x5", "title counted 5 times", replace(DEFAULT, title_weight=5.0)),
    ("body-1000", "first 1,000 characters of the body", replace(DEFAULT, body_chars=1000)),
    ("body-4000", "first 4,000 characters of the body", replace(DEFAULT, body_chars=4000)),
    ("body-all", "the whole body", replace(DEFAULT, body_chars=1_000_000)),
    (
        "+title-channel",
        "plus a title-only channel (weight 0.5)",
        replace(DEFAULT, title_channel_weight=0.5),
    ),
    ("+code-channel", "plus an identifier channel (weight 0.5)", replace(DEFAULT, code_weight=0.5)),
    (
        "+chars-0.1",
        "plus title character 3-5-grams (weight 0.1)",
        replace(DEFAULT, chars_weight=0.1),
    ),
    (
        "+chars-0.5",
        "plus title character 3-5-grams (weight 0.5)",
        replace(DEFAULT, chars_weight=0.5),
    ),
    ("+bigrams", "plus title word bigrams (weight 0.25)", replace(DEFAULT, bigrams_weight=0.25)),
    (
        "all-channels",
        "all five channels (title 0.5, code 0.5, chars 0.5, bigrams 0.25)",
        replace(
            DEFAULT,
            title_channel_weight=0.5,
            code_weight=0.5,
            chars_weight=0.5,
            bigrams_weight=0.25,
        ),
    ),
    (
        "all-channels-no-density",
        "all five channels, no density correction",
        replace(
            DEFAULT,
            title_channel_weight=0.5,
            code_weight=0.5,
            chars_weight=0.5,
            bigrams_weight=0.25,
            density_neighbours=0,
        ),
    ),
]


def paired(better: Ranker, worse: Ranker, pairs: Sequence[tuple[int, int]]) -> dict[str, int]:
    """How many pairs `better` ranks the duplicate higher / lower / equal than `worse`."""
    wins = losses = ties = 0
    for query, target in pairs:
        mine, theirs = rank_of(better(query), target), rank_of(worse(query), target)
        wins += mine < theirs
        losses += mine > theirs
        ties += mine == theirs
    return {"better": wins, "worse": losses, "same": ties}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the baseline and every variant, print a table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--only", help="run only the variants whose name contains this")
    args = parser.parse_args(argv)

    reports = load_reports(DATA / "hadoop-jira-bugs.csv")
    pairs = load_pairs(DATA / "hadoop-jira-duplicate-pairs.csv", {r.id for r in reports})
    rows: list[dict[str, object]] = []

    def run(name: str, note: str, make: Callable[[], Ranker], config: dict[str, object]) -> None:
        started = time.perf_counter()
        figures = evaluate(make(), pairs)
        seconds = round(time.perf_counter() - started, 1)
        rows.append({"name": name, "note": note, **figures, "seconds": seconds, "config": config})
        print(
            f"{name:<28} {figures['top1']:5.1f} {figures['top3']:5.1f} {figures['top10']:5.1f}"
            f"  mrr {figures['mrr']:.3f} | reverse {figures['reverse_top1']:5.1f}"
            f" {figures['reverse_top3']:5.1f} {figures['reverse_top10']:5.1f}  ({seconds}s)",
            flush=True,
        )

    print(f"{len(reports)} reports, {len(pairs)} joinable pairs; top1 top3 top10 (%)")
    if not args.only or args.only in "baseline":
        run(
            "baseline",
            "TF-IDF cosine, summary x3 + 2,000 chars",
            lambda: baseline_ranker(reports),
            {},
        )
        run(
            "baseline-sublinear",
            "the same with 1 + ln tf",
            lambda: baseline_ranker(reports, sublinear=True),
            {},
        )
    for name, note, config in VARIANTS:
        if args.only and args.only not in name:
            continue
        run(name, note, partial(headway_ranker, reports, config), asdict(config))
    comparison = {}
    if not args.only:
        headway = headway_ranker(reports, DEFAULT)
        comparison = {
            "headway_vs_baseline": paired(headway, baseline_ranker(reports), pairs),
            "headway_vs_baseline_sublinear": paired(
                headway, baseline_ranker(reports, sublinear=True), pairs
            ),
        }
        print(comparison)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "reports": len(reports),
        "pairs": len(pairs),
        "direction": "query Issue id, target Duplicate id; reverse_* the other way",
        "ranking": "1 + number of reports scoring strictly higher; a target scoring 0 is a miss",
        "results": rows,
        "paired_ranks": comparison,
    }
    args.output.write_text(json.dumps(document, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
