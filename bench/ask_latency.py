"""Ask latency at scale: 100,000 generated resources in a fresh database of the current kind.

    python bench/ask_latency.py                      # SQLite (temporary file)
    STRATEGISTS_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test python bench/ask_latency.py
    python bench/ask_latency.py --resources 20000
    python bench/ask_latency.py --keep               # keep the database and reuse it next time

The generated resources recombine the real ones' words, kinds, costs, regions and skill areas;
they are imported through the same code path as `strategists import-resources`. Every question
of both dev sets is asked through `strategists.referrals.ask_service.ask`; the goal is p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ask_core_eval import synthetic_resources as synthetic
from ask_eval import SETS, default_data_dir, fresh_database, percentile, read_jsonl

GOAL_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--data", type=Path, default=default_data_dir())
    parser.add_argument("--resources", type=int, default=100_000)
    parser.add_argument(
        "--keep",
        nargs="?",
        const="",
        default=None,
        metavar="NAME",
        help="keep the database (default name strategists_ask_bench_<resources>) and reuse it "
        "when it already holds the resources",
    )
    parser.add_argument("--rounds", type=int, default=1, help="ask every question this many times")
    args = parser.parse_args()
    keep = "" if args.keep is None else (args.keep or f"strategists_ask_bench_{args.resources}")
    real = read_jsonl(args.data / "resources.jsonl")
    questions = [q["text"] for name in SETS for q in read_jsonl(args.data / name)]
    lines = [json.dumps(r) for r in real + synthetic(real, max(0, args.resources - len(real)))]

    with fresh_database(keep) as vendor:
        # Django and app code load once fresh_database() has set Django up.
        from django.db import connection

        from strategists.referrals.ask_service import ask
        from strategists.referrals.models import Resource
        from strategists.referrals.transfer import resources_import

        start = time.perf_counter()
        if Resource.objects.count() != len(lines):  # a kept database is reused
            resources_import(lines)
        else:
            print("reusing the kept database")
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                # What autovacuum does soon after a bulk import: statistics, and the visibility map
                # that lets the posting lists be read from their index alone.
                cursor.execute("VACUUM ANALYZE referrals_resourceindex, referrals_resourceposting")
        loaded = time.perf_counter() - start
        print(f"database: {vendor}; {len(lines)} resources imported and indexed in {loaded:.0f} s")
        for question in [
            *questions[:10],
            "una encuesta para los trabajadores",
            "un sondage pour les membres",
        ]:
            ask(
                question
            )  # warm the statistics, spellers (English, Spanish, French) and database caches
        times, counts = [], []
        for question in questions * max(1, args.rounds):
            began = time.perf_counter()
            outcome = ask(question, limit=10)
            times.append((time.perf_counter() - began) * 1000)
            counts.append(len(outcome.results))
        p95 = percentile(times, 95)
        print(
            f"latency over {len(times)} questions: p50 {percentile(times, 50):.1f} ms, p95 {p95:.1f} ms, "
            f"max {max(times):.1f} ms ({'meets' if p95 < GOAL_MS else 'misses'} the {GOAL_MS:.0f} ms goal); "
            f"{sum(1 for c in counts if c)} of {len(counts)} questions answered"
        )


if __name__ == "__main__":
    main()
