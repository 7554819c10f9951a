"""Each FORMAT.md rule on a hand-made instance whose optimum is known."""

import pytest

from strategists.planner.core import check_plan, solve

from .test_core_instances import base, host, km, reach_of, trainer


def events_of(plan):
    return [(e["slot"], e["host"], e["trainers"]) for e in plan.events]


def test_single_event_score_matches_the_formula():
    plan = solve(base(), time_limit=10)
    assert events_of(plan) == [(0, "h1", ["t1"])]
    assert plan.events[0] == {
        "slot": 0,
        "date": "2027-01-04",
        "host": "h1",
        "city": "c1",
        "trainers": ["t1"],
    }
    assert plan.score == pytest.approx(reach_of("c1"))
    assert plan.status == "optimal"
    assert plan.bound == pytest.approx(plan.score)
    assert check_plan(base(), plan.to_dict()) == []


def test_rule1_one_event_per_slot_picks_the_better_host():
    inst = base(
        hosts=[host("h1", "c3"), host("h2", "c1")],
        trainers=[trainer("t1", "c1"), trainer("t3", "c3")],
    )
    plan = solve(inst, time_limit=10)
    assert events_of(plan) == [(0, "h2", ["t1"])]
    assert plan.explanations[0]["runner_up"] == {
        "host": "h1",
        "reach_gain": round(reach_of("c3"), 1),
        "travel_km": 0.0,
        "net": round(reach_of("c3"), 1),
    }


def test_rule1_conflict_blocks_the_date_and_says_which():
    conflict = {
        "name": "AFL-CIO Convention",
        "start": "2027-01-05",
        "end": "2027-01-06",
        "regions": ["east"],
        "buffer_days": 1,
    }
    plan = solve(base(conflicts=[conflict]), time_limit=10)
    assert plan.events == []
    assert plan.unfilled == [
        {
            "slot": 0,
            "date": "2027-01-04",
            "reason": "every host offering 2027-01-04 is blocked by AFL-CIO Convention",
        }
    ]


def test_rule1_window_outside_every_host():
    inst = base(hosts=[host("h1", "c1", windows=[{"start": "2027-02-01", "end": "2027-02-10"}])])
    plan = solve(inst, time_limit=10)
    assert (
        plan.unfilled[0]["reason"]
        == "no host offers 2027-01-04: ask a host to add a window that includes it"
    )


def test_rule2_a_city_hosts_once():
    plan = solve(
        base(slots=2, hosts=[host("h1", "c1"), host("h1b", "c1", topics=("a",))]), time_limit=10
    )
    assert len(plan.events) == 1
    empty = 1 - plan.events[0]["slot"]
    day = "2027-01-04" if empty == 0 else "2027-01-11"
    other_day = "2027-01-11" if empty == 0 else "2027-01-04"
    assert plan.unfilled == [
        {
            "slot": empty,
            "date": day,
            "reason": f"all 1 host(s) that could take {day} are ruled out by the rest of the plan: "
            f"h1 (h1 Council, Alpha): Alpha already hosts on {other_day}",
        }
    ]


def test_rule3_region_minimum_forces_the_weaker_host():
    regions = [
        {"id": "east", "min_events": 0, "max_events": 5},
        {"id": "west", "min_events": 1, "max_events": 5},
    ]
    inst = base(
        regions=regions, hosts=[host("h1", "c1"), host("h2", "c2")], trainers=[trainer("t1", "c1")]
    )
    plan = solve(inst, time_limit=10)
    assert events_of(plan) == [(0, "h2", ["t1"])]
    assert plan.score == pytest.approx(reach_of("c2") - 0.1 * km("c1", "c2"))


def test_rule3_region_maximum():
    regions = [
        {"id": "east", "min_events": 0, "max_events": 0},
        {"id": "west", "min_events": 0, "max_events": 5},
    ]
    plan = solve(base(regions=regions), time_limit=10)
    assert plan.events == []
    assert plan.unfilled[0]["reason"] == (
        "all 1 host(s) that could take 2027-01-04 are ruled out by the rest of the plan: "
        "h1 (Alpha Council, Alpha): east already has its maximum of 0 events"
    )


def test_rule3_unreachable_minimum_is_reported_as_binding():
    regions = [
        {"id": "east", "min_events": 0, "max_events": 5},
        {"id": "west", "min_events": 1, "max_events": 5},
    ]
    plan = solve(base(regions=regions), time_limit=10)
    assert plan.status == "infeasible"
    assert events_of(plan) == [(0, "h1", ["t1"])]
    assert plan.binding == [
        "region west needs at least 1 events but at most 0 can be scheduled: only 0 of its cities have a host "
        "that can be staffed on an allowed date; recruit hosts or trainers there, or lower min_events"
    ]


def test_rule4_no_consecutive_region():
    rules = dict(base()["rules"], no_consecutive_region=True)
    inst = base(
        slots=2,
        rules=rules,
        hosts=[host("h1", "c1"), host("h2", "c2")],
        regions=[
            {"id": "east", "min_events": 0, "max_events": 5},
            {"id": "west", "min_events": 0, "max_events": 5},
        ],
    )
    inst["cities"][1]["region"] = "east"
    plan = solve(inst, time_limit=10)
    assert len(plan.events) == 1
    assert check_plan(inst, plan.to_dict()) == []


def test_rule5_topics_need_two_trainers_and_the_far_one_is_excluded():
    inst = base(
        hosts=[host("h1", "c1", topics=("a", "b"))],
        trainers=[
            trainer("t1", "c1", ("a",)),
            trainer("t2", "c2", ("b",)),
            trainer("t3", "c3", ("a", "b")),
        ],
    )
    plan = solve(inst, time_limit=10)
    assert events_of(plan) == [(0, "h1", ["t1", "t2"])]
    assert plan.travel_km == pytest.approx(km("c1", "c2"))


def test_rule5_unstaffable_slot_names_the_missing_topic():
    inst = base(hosts=[host("h1", "c1", topics=("a", "b"))], trainers=[trainer("t1", "c1", ("a",))])
    plan = solve(inst, time_limit=10)
    assert plan.unfilled == [
        {
            "slot": 0,
            "date": "2027-01-04",
            "reason": "no host offering 2027-01-04 can be staffed: h1 (h1 Council, Alpha): "
            "nobody available on 2027-01-04 within 500 km teaches b",
        }
    ]


def test_rule5_trainers_min_and_availability():
    rules = dict(base()["rules"], trainers_min=2)
    later = [{"start": "2027-06-01", "end": "2027-06-30"}]
    inst = base(rules=rules, trainers=[trainer("t1", "c1"), trainer("t2", "c1", available=later)])
    plan = solve(inst, time_limit=10)
    assert plan.unfilled[0]["reason"] == (
        "no host offering 2027-01-04 can be staffed: h1 (Alpha Council, Alpha): only 1 trainer(s) within "
        "500 km who teach its topics are available on 2027-01-04 (needs 2)"
    )


def test_rule5_max_events_caps_a_trainer():
    inst = base(
        slots=2,
        hosts=[host("h1", "c1"), host("h2", "c2")],
        trainers=[trainer("t1", "c1", max_events=1)],
    )
    plan = solve(inst, time_limit=10)
    assert len(plan.events) == 1
    assert plan.events[0]["host"] == "h1"
    assert (
        "its eligible trainers are already booked to their max_events" in plan.unfilled[0]["reason"]
    )


def test_lock_forces_a_host_and_an_impossible_lock_is_binding():
    inst = base(hosts=[host("h1", "c1"), host("h2", "c2")])
    locked = solve(inst, time_limit=10, locks={"events": [{"slot": 0, "host": "h2"}]})
    assert events_of(locked) == [(0, "h2", ["t1"])]
    assert locked.status == "optimal"
    late = base(
        hosts=[
            host("h1", "c1"),
            host("h2", "c2", windows=[{"start": "2027-05-01", "end": "2027-05-02"}]),
        ]
    )
    stuck = solve(late, time_limit=10, locks={"events": [{"slot": 0, "host": "h2"}]})
    assert stuck.status == "infeasible"
    assert stuck.binding == ["lock of slot 0 to h2 cannot hold: 2027-01-04 is outside its windows"]
    assert events_of(stuck) == [(0, "h1", ["t1"])]


def test_locked_trainer_joins_the_team():
    inst = base(trainers=[trainer("t1", "c1"), trainer("t2", "c2")])
    plan = solve(inst, time_limit=10, locks={"events": [{"slot": 0, "trainers": ["t2"]}]})
    assert events_of(plan) == [(0, "h1", ["t2"])]


def test_warm_start_from_previous_plan_reaches_the_same_optimum():
    inst = base(
        slots=2,
        hosts=[host("h1", "c1"), host("h2", "c2")],
        trainers=[trainer("t1", "c1"), trainer("t2", "c2")],
    )
    first = solve(inst, time_limit=10)
    again = solve(inst, time_limit=10, warm_start=first.to_dict())
    assert events_of(again) == events_of(first)
    assert again.score == pytest.approx(first.score)


def test_progress_reports_fractions_in_order():
    seen = []
    solve(base(), time_limit=10, progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.05
    assert all(0.0 <= f <= 1.0 for f in seen)
