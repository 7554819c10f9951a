"""Evaluate the pure-Python ask core against the plain BM25 baseline.

    python bench/ask_core_eval.py                      # both dev sets, metrics + latency
    python bench/ask_core_eval.py --synthetic 100000   # latency on 100,000 generated resources
    python bench/ask_core_eval.py --split-check        # tune on one dev set, score the other
    python bench/ask_core_eval.py --details            # per-question nDCG@5 next to baseline

Data comes from --data (default: $STRATEGISTS_BENCH_DIR or ../shared/bench beside the repo).
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from strategists.referrals.ask import (  # noqa: E402
    BM25Baseline,
    InMemoryAskEngine,
    Params,
    mrr_at_k,
    ndcg_at_k,
    recall_at_k,
)

SETS = ("queries-dev.jsonl", "queries-dev-hard.jsonl")


def default_data_dir() -> Path:
    env = os.environ.get("STRATEGISTS_BENCH_DIR")
    if env:
        return Path(env)
    for candidate in (ROOT.parent / "shared" / "bench", ROOT / "shared" / "bench"):
        if candidate.exists():
            return candidate
    return ROOT.parent / "shared" / "bench"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate(engine, queries: list[dict]) -> dict[str, float]:
    ndcg, mrr, recall, times = [], [], [], []
    for q in queries:
        start = time.perf_counter()
        ranked = [doc_id for doc_id, _ in engine.ask(q["text"], limit=10)]
        times.append((time.perf_counter() - start) * 1000)
        ndcg.append(ndcg_at_k(ranked, q["relevant"], 5))
        mrr.append(mrr_at_k(ranked, q["relevant"], 10))
        recall.append(recall_at_k(ranked, q["relevant"], 10))
    return {
        "nDCG@5": statistics.fmean(ndcg),
        "MRR@10": statistics.fmean(mrr),
        "R@10": statistics.fmean(recall),
        "p50 ms": percentile(times, 50),
        "p95 ms": percentile(times, 95),
        "per_query": ndcg,
    }


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def print_table(rows: list[tuple[str, str, dict[str, float]]]) -> None:
    print(
        f"{'set':<24}{'engine':<10}{'nDCG@5':>8}{'MRR@10':>8}{'R@10':>8}{'p50 ms':>9}{'p95 ms':>9}"
    )
    for set_name, name, m in rows:
        print(
            f"{set_name:<24}{name:<10}{m['nDCG@5']:>8.3f}{m['MRR@10']:>8.3f}{m['R@10']:>8.3f}"
            f"{m['p50 ms']:>9.2f}{m['p95 ms']:>9.2f}"
        )


def synthetic_resources(real: list[dict], n: int, seed: int = 7) -> list[dict]:
    """n resources recombining the real ones' words, kinds, costs, regions and skill areas,
    within the directory's field limits (the database benchmarks import them)."""
    rng = random.Random(seed)
    name_words = [w for r in real for w in r["name"].split()]
    summary_words = [w for r in real for w in r["summary"].split()]
    description_words = [w for r in real for w in r["description"].split()]
    tags = sorted({t for r in real for t in r["tags"]})
    out = []
    for i in range(n):
        template = rng.choice(real)
        summary = template["summary"].split()
        description = template["description"].split()
        for words, pool in ((summary, summary_words), (description, description_words)):
            for j in range(len(words)):
                if rng.random() < 0.4:
                    words[j] = rng.choice(pool)
        out.append(
            {
                "id": f"S{i:06d}",
                "kind": template["kind"],
                "name": " ".join(rng.sample(name_words, rng.randint(2, 4)))[:200],
                "url": "",
                "summary": " ".join(summary)[:300],
                "description": " ".join(description)[:5000],
                "skill_areas": template["skill_areas"],
                "tags": rng.sample(tags, rng.randint(3, 7)),
                "cost": rng.choice(real)["cost"],
                "region": rng.choice(real)["region"],
            }
        )
    return out


def run_synthetic(resources: list[dict], query_sets: dict[str, list[dict]], n: int) -> None:
    docs = resources + synthetic_resources(resources, n - len(resources))
    start = time.perf_counter()
    engine = InMemoryAskEngine(docs)
    build = time.perf_counter() - start
    questions = [q["text"] for qs in query_sets.values() for q in qs]
    for question in questions[:10]:
        engine.ask(question)  # warm caches
    times = []
    for question in questions:
        start = time.perf_counter()
        engine.ask(question)
        times.append((time.perf_counter() - start) * 1000)
    print(f"synthetic corpus: {len(docs)} resources, index built in {build:.1f} s")
    print(
        f"latency over {len(times)} questions: p50 {percentile(times, 50):.2f} ms, "
        f"p95 {percentile(times, 95):.2f} ms, max {max(times):.2f} ms"
    )


GRID = {
    "expansion_weight": (0.4, 0.5, 0.6),
    "expansion_weight_max": (1.0, 1.5),
    "region_other_state": (0.2, 0.3, 0.5),
    "kind_boost": (0.15, 0.3, 0.5),
    "skill_boost": (0.15, 0.3),
}


def split_check(resources: list[dict], query_sets: dict[str, list[dict]]) -> None:
    """Pick the grid point best on one set, report it on the other (and vice versa)."""
    from strategists.referrals.ask.ranking import (
        ResourceDoc,  # only the split check builds docs itself
    )

    docs = [ResourceDoc.from_mapping(r) for r in resources]
    keys = list(GRID)
    results = []
    for values in itertools.product(*(GRID[k] for k in keys)):
        params = dataclasses.replace(Params(), **dict(zip(keys, values, strict=True)))
        engine = InMemoryAskEngine(docs, params)
        scores = {name: evaluate(engine, qs)["nDCG@5"] for name, qs in query_sets.items()}
        results.append((dict(zip(keys, values, strict=True)), scores))
    default = Params()
    engine = InMemoryAskEngine(docs, default)
    default_scores = {name: evaluate(engine, qs)["nDCG@5"] for name, qs in query_sets.items()}
    names = list(query_sets)
    print(f"grid of {len(results)} settings over {', '.join(keys)}")
    print("defaults: " + ", ".join(f"{n} {s:.3f}" for n, s in default_scores.items()))
    for tune, check in ((names[0], names[1]), (names[1], names[0])):
        best_setting, scores = max(results, key=lambda item: item[1][tune])
        oracle = max(s[check] for _, s in results)
        print(
            f"tuned on {tune}: {scores[tune]:.3f} there -> {scores[check]:.3f} on {check} "
            f"(defaults {default_scores[check]:.3f}, best possible {oracle:.3f}); {best_setting}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--synthetic", type=int, default=0, metavar="N")
    parser.add_argument("--split-check", action="store_true")
    parser.add_argument("--details", action="store_true")
    args = parser.parse_args()

    resources = read_jsonl(args.data / "resources.jsonl")
    query_sets = {name: read_jsonl(args.data / name) for name in SETS}
    if args.synthetic:
        run_synthetic(resources, query_sets, args.synthetic)
        return
    if args.split_check:
        split_check(resources, query_sets)
        return
    engine = InMemoryAskEngine(resources)
    baseline = BM25Baseline(resources)
    for qs in query_sets.values():
        for q in qs[:5]:
            engine.ask(q["text"])  # warm caches (vocabulary compilation)
    rows = []
    for name, qs in query_sets.items():
        base = evaluate(baseline, qs)
        ours = evaluate(engine, qs)
        rows += [(name, "bm25", base), (name, "ask", ours)]
        if args.details:
            for q, b, o in zip(qs, base["per_query"], ours["per_query"], strict=True):
                top = [doc_id for doc_id, _ in engine.ask(q["text"], limit=5)]
                print(f"{q['id']} {b:.2f} -> {o:.2f}  {top}  {q['text'][:70]}")
    print_table(rows)


if __name__ == "__main__":
    main()
