"""``solve``: preprocessing, greedy, the two-phase lexicographic MIP, explanations."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .checker import check_plan, score_plan
from .explain import region_shortfall, slot_choice, unfilled_reason
from .greedy import Assignment, PlanState, Requirements, greedy, meets_minimums
from .instance import Instance, InstanceError, load_instance
from .model import Master, pick_candidates, staff, team_cap
from .structure import Structure, best_team, build_structure

Progress = Callable[[float, str], None]
EXTRA_CANDIDATES = 0  # per topic signature, beyond the largest useful team size
MAX_ROUNDS = 4  # master re-solves after promoting pooled trainers


@dataclass
class Plan:
    """A plan in FORMAT.md's shape plus what the coordinator and the benchmark want to know."""

    events: list[dict[str, Any]]
    unfilled: list[dict[str, Any]]
    reach: float
    travel_km: float
    score: float
    bound: float | None
    status: str  # optimal | feasible | infeasible
    seconds: float
    gap: float | None = None
    binding: list[str] = field(default_factory=list)
    explanations: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)

    @property
    def filled(self) -> int:
        return len(self.events)

    def to_dict(self) -> dict[str, Any]:
        return {
            "events": self.events,
            "unfilled": self.unfilled,
            "reach": round(self.reach, 1),
            "travel_km": round(self.travel_km, 1),
            "score": round(self.score, 1),
            "bound": None if self.bound is None else round(self.bound, 1),
            "status": self.status,
            "seconds": round(self.seconds, 2),
            "gap": self.gap,
            "binding": self.binding,
            "explanations": self.explanations,
            "stats": self.stats,
        }


@dataclass
class _Locks:
    req: Requirements
    host_at: dict[int, int]  # slot -> locked host index
    problems: list[str]


def _resolve_locks(st: Structure, locks: dict[str, Any] | None) -> _Locks:
    """Translate ``{"events": [{"slot", "host"?, "trainers"?}]}`` to indices.

    A malformed lock raises InstanceError; a well-formed lock that cannot hold (host not
    offering the date, trainer unavailable...) is reported as a binding rule and dropped.
    """
    out = _Locks(Requirements(), {}, [])
    if not locks:
        return out
    if not isinstance(locks, dict) or not isinstance(locks.get("events", []), list):
        raise InstanceError("locks.events", "not a list")
    for i, raw in enumerate(locks.get("events", [])):
        path = f"locks.events[{i}]"
        if not isinstance(raw, dict):
            raise InstanceError(path, "not an object")
        slot = raw.get("slot")
        if isinstance(slot, bool) or not isinstance(slot, int) or not 0 <= slot < st.inst.slots:
            raise InstanceError(f"{path}.slot", "not a slot number")
        day = st.dates[slot]
        if raw.get("host") is not None:
            if raw["host"] not in st.host_index:
                raise InstanceError(f"{path}.host", f"unknown host {raw['host']!r}")
            h = st.host_index[raw["host"]]
            host = st.inst.hosts[h]
            if not st.host_in_window[h, slot]:
                out.problems.append(
                    f"lock of slot {slot} to {host.id} cannot hold: {day} is outside its windows"
                )
                continue
            if not st.host_allowed[h, slot]:
                region = st.city_region[st.city_index[host.city]]
                names = " and ".join(st.blocked_by[region][slot])
                out.problems.append(
                    f"lock of slot {slot} to {host.id} cannot hold: {day} is blocked by {names}"
                )
                continue
            cls = next(c for c in st.classes if h in c.hosts)
            out.req.event_at[slot] = st.event_of[(cls.index, slot)]
            out.host_at[slot] = h
        trainers = raw.get("trainers", [])
        if not isinstance(trainers, list):
            raise InstanceError(f"{path}.trainers", "not a list")
        for j, tid in enumerate(trainers):
            if tid not in st.trainer_index:
                raise InstanceError(f"{path}.trainers[{j}]", f"unknown trainer {tid!r}")
            k = st.trainer_index[tid]
            candidates = (
                [out.req.event_at[slot]] if slot in out.req.event_at else st.events_by_slot[slot]
            )
            if not any(k in st.events[e].trainers for e in candidates):
                out.problems.append(
                    f"lock of {tid} to slot {slot} cannot hold: not available on {day}, or too far "
                    f"from / teaching none of the topics of every host that can take that date"
                )
                continue
            out.req.trainers_at[slot] = (*out.req.trainers_at.get(slot, ()), k)
    return out


def _seed_from_plan(st: Structure, previous: dict[str, Any]) -> Assignment:
    """Whatever part of a previous plan is still valid (hosts, dates, eligible trainers)."""
    seed: Assignment = {}
    for raw in previous.get("events", []) if isinstance(previous, dict) else []:
        slot, hid = raw.get("slot"), raw.get("host")
        if not isinstance(slot, int) or hid not in st.host_index or slot in seed:
            continue
        h = st.host_index[hid]
        cls = next(c for c in st.classes if h in c.hosts)
        e = st.event_of.get((cls.index, slot))
        if e is None:
            continue
        ks = tuple(st.trainer_index[t] for t in raw.get("trainers", []) if t in st.trainer_index)
        found = best_team(st, st.events[e], required=ks) or best_team(st, st.events[e])
        if found is not None:
            seed[slot] = (e, found[1])
    return seed


def _locks_hold(plan: Assignment, req: Requirements) -> bool:
    return all(plan.get(s, (None,))[0] == e for s, e in req.event_at.items()) and all(
        s in plan and set(ks) <= set(plan[s][1]) for s, ks in req.trainers_at.items()
    )


def _fill_gaps(
    st: Structure, plan: Assignment, req: Requirements, staffable: set[int]
) -> Assignment:
    """Add any event that still fits: never hurts the first objective, keeps every rule."""
    state = PlanState(st, dict(plan))
    for slot in range(st.inst.slots):
        if slot in state.plan:
            continue
        best = None
        for e in st.events_by_slot[slot]:
            if e not in staffable or state.structural_block(e, reserve_minimums=False):
                continue
            found = state.team_for(e, req.trainers_at.get(slot, ()))
            if found is not None:
                value = state.marginal_reach(e) - st.inst.rules.travel_weight * found[0]
                if best is None or value > best[0]:
                    best = (value, e, found[1])
        if best is not None:
            state.add(slot, best[1], best[2])
    return state.plan


def _to_events(st: Structure, plan: Assignment, host_at: dict[int, int]) -> list[dict[str, Any]]:
    events = []
    for slot in sorted(plan):
        e, team = plan[slot]
        cls = st.classes[st.events[e].cls]
        h = host_at[slot] if host_at.get(slot) in cls.hosts else cls.host_at_slot[slot]
        host = st.inst.hosts[h]
        events.append(
            {
                "slot": slot,
                "date": st.dates[slot].isoformat(),
                "host": host.id,
                "city": host.city,
                "trainers": sorted(
                    (st.inst.trainers[k].id for k in team), key=lambda t: (len(t), t)
                ),
            }
        )
    return events


def solve(
    instance: Instance | dict[str, Any],
    *,
    time_limit: float = 30.0,
    threads: int = 2,
    locks: dict[str, Any] | None = None,
    warm_start: dict[str, Any] | None = None,
    progress: Progress | None = None,
    mip_gap: float = 1e-3,
) -> Plan:
    """Plan the tour; see the package docstring for the contract."""
    began = time.monotonic()

    def say(fraction: float, message: str) -> None:
        if progress is not None:
            progress(min(1.0, fraction), message)

    def remaining() -> float:
        return max(0.1, time_limit - (time.monotonic() - began))

    inst = instance if isinstance(instance, Instance) else load_instance(instance)
    st = build_structure(inst)
    lk = _resolve_locks(st, locks)
    req = lk.req
    staffable = {e for e, ev in enumerate(st.events) if best_team(st, ev) is not None}
    say(0.05, f"preprocessed: {len(st.classes)} host classes, {len(staffable)} staffable events")

    base = greedy(st, req, allowed_events=staffable)
    base_ok = meets_minimums(st, base) and _locks_hold(base, req)
    start = base
    if warm_start:
        warm = greedy(st, req, seed=_seed_from_plan(st, warm_start), allowed_events=staffable)
        if len(warm) > len(start) or (
            len(warm) == len(start) and _value(st, warm) > _value(st, start)
        ):
            start = warm
    say(0.1, f"greedy: {len(base)} of {inst.slots} slots, score {_value(st, base):.1f}")

    events = sorted(staffable)
    candidates = {
        e: pick_candidates(
            st,
            e,
            team_cap(st, st.events[e].cls) + EXTRA_CANDIDATES,
            req.trainers_at.get(st.events[e].slot, ()),
        )
        for e in events
    }
    stats: dict[str, Any] = {
        "greedy_filled": len(base),
        "greedy_score": round(_value(st, base), 1) if base_ok else None,
    }
    binding = list(lk.problems)
    slacks: dict[tuple[str, int], float] = {}
    count = len(start)
    phase_count_optimal = True
    master = Master(st, events, candidates, req)
    stats["model"] = {
        "columns": master.b.num_cols,
        "rows": len(master.b.row_lower),
        "nonzeros": len(master.b.t_val),
    }

    quick_ub = min(
        sum(1 for t in range(inst.slots) if any(e in staffable for e in st.events_by_slot[t])),
        sum(r.max_events for r in inst.regions),
        len({st.classes[st.events[e].cls].city for e in staffable}),
    )
    start_ok = meets_minimums(st, start) and _locks_hold(start, req)
    if events and not (start_ok and len(start) >= quick_ub):
        say(0.15, "maximizing the number of filled slots")
        for _ in range(MAX_ROUNDS):
            r1 = master.solve(
                "count",
                start=master.start_vector(start),
                time_limit=remaining() * 0.4,
                threads=threads,
                rel_gap=0.0,
            )
            if r1.values is None:
                break
            plan1, pooled = master.read(r1.values)
            staffed = staff(st, plan1, req, remaining(), threads) if pooled else plan1
            if staffed is None:
                _promote(st, master, candidates, pooled, plan1)
                master = Master(st, events, candidates, req)
                continue
            slacks = master.slack_values(r1.values)
            start, count = staffed, len(staffed)
            phase_count_optimal = r1.status == "optimal"
            break
    if not events:  # nothing can be staffed at all: every minimum and lock fails outright
        slacks = {
            ("region", r): float(reg.min_events)
            for r, reg in enumerate(inst.regions)
            if reg.min_events
        }
        slacks.update({("lock", i): 1.0 for i in range(len(master.lock_slack))})
    stats["count_proven"] = phase_count_optimal

    for (kind, i), value in slacks.items():
        if value > 0 and kind == "region":
            binding.append(region_shortfall(st, i, int(value), staffable))
        elif value > 0:
            binding.append(f"{master.lock_slack[i][0]} cannot hold together with the other rules")

    say(0.3, f"optimizing the score of {count} filled slots")
    best_plan, bound, mip_status, t1 = start, None, "none", None
    if events:
        best_plan, bound = _lp_guided_start(
            st, master, events, candidates, req, start, count, slacks, threads, mip_gap, remaining
        )
        say(0.4, f"LP-guided start: score {_value(st, best_plan):.1f}, LP bound {bound}")
    phase2_began = time.monotonic() - began
    closed = bound is not None and bound - _value(st, best_plan) <= mip_gap * max(1.0, abs(bound))
    if closed:  # the LP bound already proves the LP-guided plan
        mip_status = "optimal"
    for _ in range(MAX_ROUNDS):
        if not events or closed:
            break

        def on_mip(seconds: float, primal: float | None, dual: float | None) -> None:
            gap = (
                ""
                if primal is None or dual is None
                else f", gap {100 * (dual - primal) / max(1.0, abs(dual)):.2f}%"
            )
            say(
                0.3 + 0.6 * min(1.0, seconds / remaining()),
                f"MIP {seconds:.1f}s: best {primal}, bound {dual}{gap}",
            )

        slack_fix = master.slack_columns(slacks)
        r2 = master.solve(
            "score",
            count=count,
            slacks=slack_fix,
            start=master.start_vector(best_plan),
            time_limit=remaining(),
            threads=threads,
            rel_gap=mip_gap,
            progress=on_mip,
        )
        if r2.bound is not None:
            bound = r2.bound if bound is None else min(bound, r2.bound)
        mip_status = r2.status
        if t1 is None and r2.time_to_1pct is not None:
            t1 = phase2_began + r2.time_to_1pct
        if r2.values is None:
            break
        plan2, pooled = master.read(r2.values)
        staffed = staff(st, plan2, req, remaining(), threads)
        if (
            staffed is not None
            and len(staffed) >= count
            and _value(st, staffed) > _value(st, best_plan) - 1e-9
        ):
            best_plan = staffed
        if not pooled or time.monotonic() - began > time_limit * 0.8:
            break
        _promote(st, master, candidates, pooled, plan2)
        master = Master(st, events, candidates, req)

    if not events:  # the empty plan is the only plan
        bound, mip_status = 0.0, "optimal"
    if events and len(best_plan) >= count:
        restaffed = staff(st, best_plan, req, remaining(), threads)
        if restaffed is not None and _value(st, restaffed) >= _value(st, best_plan):
            best_plan = restaffed
    final = _fill_gaps(st, best_plan, req, staffable)
    if not binding and base_ok and _violations(st, final, lk):
        # never hand out a plan the independent checker rejects; say so loudly instead
        stats["fallback"] = "; ".join(_violations(st, final, lk)[:3])
        final = base
    return _finish(
        st,
        final,
        lk,
        staffable,
        bound,
        mip_status,
        binding,
        stats,
        began,
        t1,
        mip_gap,
        phase_count_optimal,
        base if base_ok else None,
    )


def _lp_guided_start(
    st: Structure,
    master: Master,
    events: list[int],
    candidates: dict[int, set[int]],
    req: Requirements,
    start: Assignment,
    count: int,
    slacks: dict[tuple[str, int], float],
    threads: int,
    mip_gap: float,
    remaining: Callable[[], float],
) -> tuple[Assignment, float | None]:
    """Solve the LP, then a MIP over only the events the LP uses (plus the current start).

    The LP bound is within a fraction of a percent of the optimum on these models, but HiGHS's
    own heuristics can take long to find a matching plan in the full model; the restricted
    MIP is an order of magnitude smaller and usually contains the optimum, which then lets
    the full MIP close the gap almost at once.
    """
    fixed = master.slack_columns(slacks)
    lp = master.solve(
        "score",
        count=count,
        slacks=fixed,
        relax=True,
        time_limit=remaining() * 0.5,
        threads=threads,
        rel_gap=mip_gap,
    )
    if lp.values is None:
        return start, None
    support = {e for e in events if lp.values[master.x[e]] > 1e-6} | {e for e, _ in start.values()}
    sub = Master(st, sorted(support), candidates, req)
    res = sub.solve(
        "score",
        count=count,
        slacks=sub.slack_columns(slacks),
        start=sub.start_vector(start),
        time_limit=remaining() * 0.3,
        threads=threads,
        rel_gap=mip_gap,
    )
    best = start
    if res.values is not None:
        plan, _ = sub.read(res.values)
        staffed = staff(st, plan, req, remaining(), threads)
        if (
            staffed is not None
            and len(staffed) >= count
            and _value(st, staffed) > _value(st, start)
        ):
            best = staffed
    return best, lp.bound


def _promote(
    st: Structure,
    master: Master,
    candidates: dict[int, set[int]],
    pooled: set[int],
    plan: Assignment,
) -> None:
    """Give the trainers behind a pool that was drawn on their own variables."""
    for e in pooled:
        size = 2 * (team_cap(st, st.events[e].cls) + EXTRA_CANDIDATES) + 1
        candidates[e] = candidates[e] | pick_candidates(st, e, size)
    del master, plan  # kept in the signature for symmetry with the caller's loop


def _violations(st: Structure, plan: Assignment, lk: _Locks) -> list[str]:
    unfilled = [{"slot": t, "reason": "-"} for t in range(st.inst.slots) if t not in plan]
    return check_plan(st.inst, {"events": _to_events(st, plan, lk.host_at), "unfilled": unfilled})


def _value(st: Structure, plan: Assignment) -> float:
    state = PlanState(st, plan)
    km = sum(
        st.trainer_km[k, st.host_city_pos[st.classes[st.events[e].cls].city]]
        for e, team in plan.values()
        for k in team
    )
    return float(state.best.sum() - st.inst.rules.travel_weight * km)


def _finish(
    st: Structure,
    final: Assignment,
    lk: _Locks,
    staffable: set[int],
    bound: float | None,
    mip_status: str,
    binding: list[str],
    stats: dict[str, Any],
    began: float,
    t1: float | None,
    mip_gap: float,
    count_proven: bool,
    base: Assignment | None,
) -> Plan:
    events = _to_events(st, final, lk.host_at)
    unfilled = [
        {
            "slot": t,
            "date": st.dates[t].isoformat(),
            "reason": unfilled_reason(st, final, t, staffable),
        }
        for t in range(st.inst.slots)
        if t not in final
    ]
    measured = score_plan(st.inst, {"events": events})
    if base is not None:
        base_score = score_plan(st.inst, {"events": _to_events(st, base, lk.host_at)})
        stats["greedy_score"] = round(base_score.score, 1)
        stats["improvement_vs_greedy"] = (
            None
            if base_score.score <= 0
            else round((measured.score - base_score.score) / abs(base_score.score), 4)
        )
    if bound is not None:
        bound = max(bound, measured.score)  # re-staffing over all trainers can beat the master
    gap = None if bound is None else max(0.0, bound - measured.score) / max(1.0, abs(bound))
    if binding:
        status = "infeasible"
    elif gap is not None and gap <= mip_gap + 1e-9 and count_proven:
        status = "optimal"
    else:
        status = "feasible"
    stats["time_to_1pct_gap"] = None if t1 is None else round(t1, 2)
    stats["mip_status"] = mip_status
    stats["count_proven"] = count_proven
    explanations = [slot_choice(st, final, t) for t in sorted(final)]
    seconds = time.monotonic() - began
    if gap is not None and gap <= 0.01 and stats["time_to_1pct_gap"] is None:
        stats["time_to_1pct_gap"] = round(seconds, 2)
    return Plan(
        events=events,
        unfilled=unfilled,
        reach=measured.reach,
        travel_km=measured.travel_km,
        score=measured.score,
        bound=bound,
        status=status,
        seconds=seconds,
        gap=None if gap is None else round(gap, 6),
        binding=binding,
        explanations=explanations,
        stats=stats,
    )


__all__ = ["Plan", "solve"]
