"""Command line: ``--instance FILE --out FILE [--time-limit S] [--threads N]``.

Progress goes to stderr so stdout stays clean for scripting; exit codes: 0 plan written
(even an ``infeasible`` one, which explains itself), 2 invalid input.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .instance import InstanceError, load_instance
from .solve import solve


def _read_json(path: str, what: str) -> Any:
    try:
        with open(path, encoding="utf-8") as fh:
            return json.load(fh)
    except OSError as exc:
        raise InstanceError(what, f"cannot read {path}: {exc.strerror}") from None
    except json.JSONDecodeError as exc:
        raise InstanceError(
            what, f"not valid JSON (line {exc.lineno}, column {exc.colno})"
        ) from None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="strategists plan", description="Plan the year tour.")
    parser.add_argument("--instance", required=True, help="instance JSON (FORMAT.md)")
    parser.add_argument("--out", required=True, help="where to write the plan JSON")
    parser.add_argument("--time-limit", type=float, default=30.0, help="seconds (default 30)")
    parser.add_argument("--threads", type=int, default=2, help="solver threads (default 2)")
    parser.add_argument(
        "--locks", help='optional JSON {"events": [{"slot", "host"?, "trainers"?}]}'
    )
    parser.add_argument("--warm-start", help="optional previous plan JSON to start from")
    args = parser.parse_args(argv)

    def progress(fraction: float, message: str) -> None:
        print(f"[{100 * fraction:5.1f}%] {message}", file=sys.stderr, flush=True)

    try:
        instance = load_instance(_read_json(args.instance, "instance"))
        locks = _read_json(args.locks, "locks") if args.locks else None
        warm = _read_json(args.warm_start, "warm_start") if args.warm_start else None
        plan = solve(
            instance,
            time_limit=args.time_limit,
            threads=args.threads,
            locks=locks,
            warm_start=warm,
            progress=progress,
        )
    except InstanceError as exc:
        print(f"invalid input: {exc}", file=sys.stderr)
        return 2
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(plan.to_dict(), fh, indent=1)
        fh.write("\n")
    gap = "-" if plan.gap is None else f"{100 * plan.gap:.3f}%"
    print(
        f"{plan.status}: {plan.filled}/{instance.slots} slots, score {plan.score:.1f}, "
        f"bound {plan.bound}, gap {gap}, {plan.seconds:.1f}s -> {args.out}",
        file=sys.stderr,
    )
    for rule in plan.binding:
        print(f"binding: {rule}", file=sys.stderr)
    return 0
