"""Hypothesis-generated tiny instances: the solver's plan passes the independent checker and
matches a brute-force enumeration of every possible plan (filled slots, then score)."""

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategists.planner.core import check_plan, score_plan, solve

from .test_core_instances import base, host, trainer

DAYS = ["2027-01-04", "2027-01-11"]
CITY_IDS = ["c1", "c2", "c3"]
TOPIC_SETS = [("a",), ("b",), ("a", "b")]


@st.composite
def tiny_instances(draw):
    def window():
        first, last = sorted(draw(st.lists(st.sampled_from(DAYS), min_size=2, max_size=2)))
        return [{"start": first, "end": last}]

    n_hosts = draw(st.integers(1, 3))
    hosts = [
        host(f"h{i}", draw(st.sampled_from(CITY_IDS)), draw(st.sampled_from(TOPIC_SETS)), window())
        for i in range(n_hosts)
    ]
    n_trainers = draw(st.integers(1, 3))
    trainers = [
        trainer(
            f"t{i}",
            draw(st.sampled_from(CITY_IDS)),
            draw(st.sampled_from(TOPIC_SETS)),
            window(),
            draw(st.integers(1, 2)),
        )
        for i in range(n_trainers)
    ]
    regions = [
        {"id": r, "min_events": draw(st.integers(0, 1)), "max_events": draw(st.integers(0, 2))}
        for r in ("east", "west")
    ]
    for r in regions:
        r["max_events"] = max(r["max_events"], r["min_events"])
    rules = dict(
        base()["rules"],
        no_consecutive_region=draw(st.booleans()),
        trainers_min=draw(st.integers(1, 2)),
        travel_weight=draw(st.sampled_from([0.0, 0.1, 1.0])),
    )
    conflicts = []
    if draw(st.booleans()):
        conflicts = [
            {
                "name": "Convention",
                "start": DAYS[1],
                "end": DAYS[1],
                "regions": draw(st.sampled_from([[], ["east"], ["west"]])),
                "buffer_days": 0,
            }
        ]
    return base(
        slots=2, hosts=hosts, trainers=trainers, regions=regions, rules=rules, conflicts=conflicts
    )


def brute_force(instance):
    """Best (filled, score) over every plan, by the checker alone; None if none is feasible."""
    rules = instance["rules"]
    teams = [
        list(c)
        for n in range(rules["trainers_min"], rules["trainers_max"] + 1)
        for c in itertools.combinations([t["id"] for t in instance["trainers"]], n)
    ]
    city = {h["id"]: h["city"] for h in instance["hosts"]}
    options = [None] + [(h["id"], team) for h in instance["hosts"] for team in teams]
    best = None
    for choice in itertools.product(options, repeat=2):
        events = [
            {"slot": s, "date": DAYS[s], "host": c[0], "city": city[c[0]], "trainers": c[1]}
            for s, c in enumerate(choice)
            if c is not None
        ]
        unfilled = [{"slot": s, "reason": "-"} for s, c in enumerate(choice) if c is None]
        plan = {"events": events, "unfilled": unfilled}
        if check_plan(instance, plan):
            continue
        measured = score_plan(instance, plan)
        key = (measured.filled, measured.score)
        if best is None or key > best:
            best = key
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_instances())
def test_generated_plans_are_feasible_and_optimal(instance):
    plan = solve(instance, time_limit=10, threads=1)
    out = plan.to_dict()
    best = brute_force(instance)
    if best is None:
        assert plan.status == "infeasible"
        assert plan.binding != []
        return
    assert check_plan(instance, out) == []
    assert plan.status == "optimal"
    measured = score_plan(instance, out)
    assert measured.filled == best[0]
    tolerance = 1e-4 * max(1.0, abs(best[1]))
    assert best[1] - tolerance <= measured.score <= best[1] + 1e-6
    assert plan.bound >= measured.score - 1e-6
    assert len(out["unfilled"]) == 2 - best[0]
    assert all(u["reason"] for u in out["unfilled"])
