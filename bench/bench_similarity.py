"""Speed of the similarity index on 10,000 realistic documents.

The documents are resampled from the 2,503 real Hadoop reports so that vocabulary, lengths, code
fragments and stack traces look like the real thing: each synthetic document takes the title of a
random report with a few words swapped for words of another title, and a body stitched from
sentences of two or three random descriptions, cut to the length of a random real description.

    .venv/bin/python bench/bench_similarity.py            # 10,000 docs, writes bench/results/
    .venv/bin/python bench/bench_similarity.py --docs 2000 --queries 50

Timings are wall-clock medians and 95th percentiles over repeated calls, on one thread.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

# One BLAS thread, as in a web worker: on a shared machine extra BLAS threads only spin (measured
# here: twice the wall time of one thread). Set OPENBLAS_NUM_THREADS yourself to override.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from headway.discovery.similarity import Doc, SimilarityConfig, SimilarityIndex  # noqa: E402
from similarity_eval import DATA, Report, load_reports  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "similarity_speed.json"
_SENTENCE_END = re.compile(r"(?<=[.!?\n])\s+")


def generate(reports: Sequence[Report], count: int, seed: int = 7) -> list[Doc]:
    """`count` documents resampled from real reports (deterministic for a given seed)."""
    rng = random.Random(seed)
    sentences = [s for r in reports for s in _SENTENCE_END.split(r.description) if s.strip()]
    lengths = [len(r.description) for r in reports]
    docs = []
    for doc_id in range(1, count + 1):
        title = reports[rng.randrange(len(reports))].summary.split()
        donor = reports[rng.randrange(len(reports))].summary.split()
        for _ in range(min(2, len(title))):
            if donor:
                title[rng.randrange(len(title))] = rng.choice(donor)
        target = rng.choice(lengths)
        body: list[str] = []
        start = rng.randrange(len(sentences))
        while sum(len(s) for s in body) < target:
            if rng.random() < 0.3:
                start = rng.randrange(len(sentences))
            body.append(sentences[start % len(sentences)])
            start += 1
        docs.append(Doc(doc_id, " ".join(title), " ".join(body)[: max(target, 1)]))
    return docs


def timed(action: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of each of `repeat` calls.

    CPU time (of this thread) is the work itself; wall time also counts waiting for a core,
    which dominates the slow tail when other processes share the machine.
    """
    wall, cpu = [], []
    for _ in range(repeat):
        started, cpu_started = time.perf_counter(), time.thread_time()
        action()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - cpu_started) * 1000)
    return wall, cpu


def summary(samples: Sequence[float], cpu: Sequence[float] = ()) -> dict[str, float]:
    """Median and 95th percentile in milliseconds, of wall time and (if given) CPU time."""

    def p95(values: Sequence[float]) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    figures = {
        "median_ms": round(statistics.median(samples), 2),
        "p95_ms": round(p95(samples), 2),
        "n": len(samples),
    }
    if cpu:
        figures["cpu_median_ms"] = round(statistics.median(cpu), 2)
        figures["cpu_p95_ms"] = round(p95(cpu), 2)
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    """Build, query, add and serialize; print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--builds", type=int, default=4)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    reports = load_reports(DATA / "hadoop-jira-bugs.csv")
    docs = generate(reports, args.docs + args.queries)
    corpus, extra = docs[: args.docs], docs[args.docs :]
    rng = random.Random(11)

    # Wall time and CPU time: the machine may be shared, and CPU time shows the work itself.
    build_ms, build_cpu_ms, plain_build_ms = [], [], []
    index = SimilarityIndex()
    for _ in range(args.builds):
        started, cpu = time.perf_counter(), time.process_time()
        index = SimilarityIndex.build(corpus)
        build_ms.append((time.perf_counter() - started) * 1000)
        build_cpu_ms.append((time.process_time() - cpu) * 1000)
        started = time.perf_counter()
        SimilarityIndex.build(corpus, SimilarityConfig(density_neighbours=0))
        plain_build_ms.append((time.perf_counter() - started) * 1000)

    query_ids = [rng.choice(corpus).id for _ in range(args.queries)]
    ids = iter(query_ids)
    similar = timed(lambda: index.similar_to(next(ids), k=10), args.queries)
    drafts = iter(extra)

    def one_draft() -> object:
        draft = next(drafts)
        return index.query(draft.title, draft.body, k=10)

    draft = timed(one_draft, len(extra))
    title_only = iter(extra)
    typing = timed(lambda: index.query(next(title_only).title, k=10), len(extra))

    # Incremental updates: add a document, then ask for suggestions (the first query after a
    # change refreshes corpus statistics, so both are timed).
    added = iter(extra)
    queried = iter(extra)
    add_ms: tuple[list[float], list[float]] = ([], [])
    add_then_query_ms: tuple[list[float], list[float]] = ([], [])
    for _ in range(len(extra)):
        for total, sample in zip(add_ms, timed(lambda: index.add(next(added)), 1), strict=True):
            total.extend(sample)
        pairs = zip(
            add_then_query_ms,
            timed(lambda: index.similar_to(next(queried).id, k=10), 1),
            strict=True,
        )
        for total, sample in pairs:
            total.extend(sample)

    started = time.perf_counter()
    blob = index.to_bytes()
    dump_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    SimilarityIndex.from_bytes(blob)
    load_ms = (time.perf_counter() - started) * 1000

    figures = {
        "docs": args.docs,
        # The first build also fills the tokenizer's caches; later ones find them warm, as a
        # long-running server would.
        "first_build_ms": round(build_ms[0], 1),
        "build_ms": summary(build_ms[1:] or build_ms),
        "build_cpu_ms": summary(build_cpu_ms[1:] or build_cpu_ms),
        "build_without_density_ms": summary(plain_build_ms),
        "similar_to": summary(*similar),
        "query_draft_title_and_body": summary(*draft),
        "query_title_only": summary(*typing),
        "add": summary(*add_ms),
        "first_query_after_add": summary(*add_then_query_ms),
        "to_bytes_ms": round(dump_ms, 1),
        "from_bytes_ms": round(load_ms, 1),
        "serialized_bytes": len(blob),
    }
    for name, value in figures.items():
        print(f"{name:<28} {value}")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
