"""Evaluate the ask engine through the real database path, beside the plain BM25 baseline,
on the development sets, the frozen sets and a held-out k-fold.

    python bench/ask_eval.py                 # temporary SQLite file
    STRATEGISTS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/ask_eval.py
    python bench/ask_eval.py --details       # per-question nDCG@5 and the top 5 ids
    python bench/ask_eval.py --kfold-grid full   # re-tune the whole weight grid in each fold
    python bench/ask_eval.py --no-kfold      # only the table

Loads resources.jsonl into a fresh database with `import-resources`' code path, runs every
question of both dev sets and both frozen sets (bench/data/, written before the engine was
changed for issue 15 and never tuned on) through `strategists.referrals.ask_service.ask` (full-text
stage in the database, then the core's rank), and prints nDCG@5, MRR@10, recall@10 and latency
per question beside plain BM25. Then the held-out figures (bench/ask_holdout.py explains what
is held out and how): a stratified 5-fold over the 110 development questions in which the
vocabulary entries only the held-out questions use are removed and the weights are re-picked on
the training folds, and the gaps between the development figures, the k-fold figures and the
frozen sets.
Data comes from --data (default: $STRATEGISTS_BENCH_DIR or ../shared/bench beside the repo).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from ask_core_eval import SETS, default_data_dir, percentile, read_jsonl  # noqa: E402  (bench/ is on the path)

FROZEN_DIR = Path(__file__).resolve().parent / "data"
FROZEN_SETS = ("queries-frozen.jsonl", "queries-frozen-hard.jsonl")
# (development set, frozen set of the same kind)
PAIRS = (
    ("queries-dev.jsonl", "queries-frozen.jsonl"),
    ("queries-dev-hard.jsonl", "queries-frozen-hard.jsonl"),
)


@contextlib.contextmanager
def fresh_database(keep: str = ""):
    """Django set up on a new, migrated database: a temporary SQLite file (or the file
    STRATEGISTS_SQLITE_PATH names, kept), or a throwaway PostgreSQL database beside the one
    STRATEGISTS_DATABASE_URL names. Yields the vendor.

    ``keep`` names a database to keep and reuse between runs instead: a PostgreSQL database of
    that name (created and migrated if missing, never dropped), or on SQLite a file of that name
    in the temporary directory (unless STRATEGISTS_SQLITE_PATH is set)."""
    tmp = None
    if not os.environ.get("STRATEGISTS_DATABASE_URL") and not os.environ.get(
        "STRATEGISTS_SQLITE_PATH"
    ):
        if keep:
            os.environ["STRATEGISTS_SQLITE_PATH"] = str(
                Path(tempfile.gettempdir()) / f"{keep}.sqlite3"
            )
        else:
            tmp = tempfile.TemporaryDirectory(prefix="strategists-eval-")
            os.environ["STRATEGISTS_SQLITE_PATH"] = str(Path(tmp.name) / "eval.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "strategists.settings")
    os.environ.setdefault("STRATEGISTS_TESTING", "1")
    import django  # only now: the database settings above are chosen from the arguments

    django.setup()
    # Django's management and database modules load after setup().
    from django.core.management import call_command
    from django.db import connection

    created_pg = False
    if connection.vendor == "postgresql":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = (
            keep or f"strategists_eval_{os.getpid()}"
        )
        connection.creation.create_test_db(
            verbosity=0, autoclobber=not keep, keepdb=bool(keep), serialize=False
        )
        created_pg = not keep
    else:
        call_command("migrate", interactive=False, verbosity=0)
    try:
        yield connection.vendor
    finally:
        if created_pg:
            connection.creation.destroy_test_db(
                os.environ.get("STRATEGISTS_DATABASE_URL", "").rsplit("/", 1)[-1], verbosity=0
            )
        if tmp is not None:
            connection.close()
            tmp.cleanup()


def load_resources(path: Path) -> float:
    from strategists.referrals.transfer import resources_import  # app code: after django.setup()

    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        resources_import(handle)
    return time.perf_counter() - start


def evaluate(ask, queries: list[dict], details: bool = False, label: str = "") -> dict[str, float]:
    from strategists.referrals.ask import (  # after django.setup(), as all app code here
        mrr_at_k,
        ndcg_at_k,
        recall_at_k,
    )

    ndcg, mrr, recall, times = [], [], [], []
    for q in queries:
        start = time.perf_counter()
        ranked = [doc_id for doc_id, _ in ask(q["text"])]
        times.append((time.perf_counter() - start) * 1000)
        ndcg.append(ndcg_at_k(ranked, q["relevant"], 5))
        mrr.append(mrr_at_k(ranked, q["relevant"], 10))
        recall.append(recall_at_k(ranked, q["relevant"], 10))
        if details:
            print(
                f"  {label:<8} {q['id']}  nDCG@5 {ndcg[-1]:.2f}  {' '.join(ranked[:5]):<30} {q['text'][:60]}"
            )
    return {
        "nDCG@5": statistics.fmean(ndcg),
        "MRR@10": statistics.fmean(mrr),
        "R@10": statistics.fmean(recall),
        "p50 ms": percentile(times, 50),
        "p95 ms": percentile(times, 95),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--details", action="store_true")
    parser.add_argument("--core", action="store_true", help="also show the pure in-memory core")
    parser.add_argument("--no-kfold", action="store_true", help="skip the held-out k-fold")
    parser.add_argument(
        "--kfold-grid",
        choices=("none", "small", "full"),
        default="small",
        help="weights re-picked on the training folds (default: small grid)",
    )
    parser.add_argument("--folds", type=int, default=5)
    args = parser.parse_args()
    resources = read_jsonl(args.data / "resources.jsonl")
    dev_sets = {name: read_jsonl(args.data / name) for name in SETS}
    query_sets = dict(dev_sets)
    query_sets.update({name: read_jsonl(FROZEN_DIR / name) for name in FROZEN_SETS})

    with fresh_database() as vendor:
        # App code loads once fresh_database() has set Django up.
        from strategists.referrals.ask import BM25Baseline, InMemoryAskEngine
        from strategists.referrals.ask_service import ask

        seconds = load_resources(args.data / "resources.jsonl")
        print(
            f"database: {vendor}; {len(resources)} resources imported and indexed in {seconds:.1f} s"
        )
        baseline = BM25Baseline(resources)
        engines = [
            ("bm25", lambda text: baseline.ask(text, limit=10)),
            ("ask", lambda text: ask(text, limit=10).results),
        ]
        if args.core:
            core = InMemoryAskEngine(resources)
            engines.append(("core", lambda text: core.ask(text, limit=10)))
        ask("warm up the caches")
        header = f"{'set':<27}{'engine':<8}{'nDCG@5':>8}{'MRR@10':>8}{'R@10':>8}{'p50 ms':>9}{'p95 ms':>9}"
        print(header)
        table: dict[tuple[str, str], dict[str, float]] = {}
        for name, queries in query_sets.items():
            for label, engine in engines:
                m = evaluate(engine, queries, args.details, label)
                table[name, label] = m
                print(
                    f"{name:<27}{label:<8}{m['nDCG@5']:>8.3f}{m['MRR@10']:>8.3f}{m['R@10']:>8.3f}"
                    f"{m['p50 ms']:>9.2f}{m['p95 ms']:>9.2f}"
                )
    if not args.no_kfold:
        held_out_report(resources, dev_sets, table, args)


def held_out_report(
    resources: list[dict],
    dev_sets: dict[str, list[dict]],
    table: dict[tuple[str, str], dict[str, float]],
    args: argparse.Namespace,
) -> None:
    """The k-fold (in-memory core, same ranking as the database path) and the gaps."""
    from ask_holdout import GRID, SMALL_GRID, kfold

    grid = {"none": {}, "small": SMALL_GRID, "full": GRID}[args.kfold_grid]
    start = time.perf_counter()
    strict = kfold(resources, dev_sets, k=args.folds, grid=grid)
    concepts_only = kfold(
        resources, dev_sets, k=args.folds, grid={}, sections=frozenset({"concept"})
    )
    seconds = time.perf_counter() - start
    print()
    print(
        f"held-out {args.folds}-fold over the development questions ({seconds:.0f} s; "
        f"entries removed per fold: {', '.join(map(str, strict.removed))}; "
        f"weights re-picked per fold on a grid of "
        f"{max(1, len(list(itertools.product(*grid.values()))))} points)"
    )
    for i, chosen in enumerate(strict.chosen):
        if chosen:
            print(f"  fold {i + 1} weights: " + ", ".join(f"{k}={v}" for k, v in chosen.items()))
    print(
        f"{'kind':<10}{'bm25':>7}{'dev':>8}{'k-fold':>8}{'kf dw':>8}{'k-fold*':>9}{'frozen':>8}"
        f"{'bm25 fz':>9}{'dev-kf':>8}{'dev-fz':>8}"
    )
    for (dev, frozen), kind in zip(PAIRS, ("dev-like", "hard"), strict=True):
        dev_score = table[dev, "ask"]["nDCG@5"]
        frozen_score = table[frozen, "ask"]["nDCG@5"]
        held = strict.held_out[dev]
        print(
            f"{kind:<10}{table[dev, 'bm25']['nDCG@5']:>7.3f}{dev_score:>8.3f}{held:>8.3f}"
            f"{strict.vocab_only[dev]:>8.3f}{concepts_only.held_out[dev]:>9.3f}{frozen_score:>8.3f}"
            f"{table[frozen, 'bm25']['nDCG@5']:>9.3f}{dev_score - held:>8.3f}{dev_score - frozen_score:>8.3f}"
        )
    print(
        "nDCG@5. dev: development set, every vocabulary entry and the default weights (the table "
        "above). k-fold: every entry only held-out questions fire removed, weights re-picked on "
        "the training folds (a lower bound). kf dw: the same with the default weights. k-fold*: only concept triggers held out (dictionary "
        "data kept), default weights. frozen: the frozen set of the same kind (never tuned on). "
        "dev-kf, dev-fz: the gaps."
    )


if __name__ == "__main__":
    main()
