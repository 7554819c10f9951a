"""Explanations a coordinator can act on: why a slot is empty, why this host and not another."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import numpy as np

from .greedy import Assignment, PlanState
from .structure import Structure, best_team, team_km

MAX_LISTED = 3


def host_label(st: Structure, h: int) -> str:
    host = st.inst.hosts[h]
    city = st.inst.cities[st.city_index[host.city]]
    return f"{host.id} ({host.organization}, {city.name})"


def _listing(items: list[str]) -> str:
    shown = items[:MAX_LISTED]
    more = len(items) - len(shown)
    return "; ".join(shown) + (f"; and {more} more" if more > 0 else "")


def staffing_gap(st: Structure, e: int) -> str:
    """Why no team at all can be formed for event ``e`` (capacities ignored)."""
    ev = st.events[e]
    cls = st.classes[ev.cls]
    rules = st.inst.rules
    day = st.dates[ev.slot]
    km = f"{rules.trainer_max_km:g} km"
    missing = [
        st.inst.topics[q] for i, q in enumerate(cls.needed) if not np.any(ev.masks & (1 << i))
    ]
    if missing:
        return f"nobody available on {day} within {km} teaches {', '.join(missing)}"
    if len(ev.trainers) < rules.trainers_min:
        return (
            f"only {len(ev.trainers)} trainer(s) within {km} who teach its topics are available "
            f"on {day} (needs {rules.trainers_min})"
        )
    return f"no team of at most {rules.trainers_max} trainers covers all of its topics"


def _blocking_conflicts(st: Structure, h: int, slot: int) -> list[str]:
    region = int(st.city_region[st.city_index[st.inst.hosts[h].city]])
    return st.blocked_by[region][slot]


def unfilled_reason(st: Structure, plan: Assignment, slot: int, staffable: set[int]) -> str:
    day = st.dates[slot]
    offering = [h for h in range(len(st.inst.hosts)) if st.host_in_window[h, slot]]
    if not offering:
        return f"no host offers {day}: ask a host to add a window that includes it"
    allowed = [h for h in offering if st.host_allowed[h, slot]]
    if not allowed:
        names = sorted({name for h in offering for name in _blocking_conflicts(st, h, slot)})
        return f"every host offering {day} is blocked by {' and '.join(names)}"
    events = st.events_by_slot[slot]
    usable = [e for e in events if e in staffable]
    if not usable:
        lines = []
        for e in events:
            h = st.classes[st.events[e].cls].host_at_slot[slot]
            lines.append(f"{host_label(st, h)}: {staffing_gap(st, e)}")
        return f"no host offering {day} can be staffed: {_listing(lines)}"
    state = PlanState(st, {s: v for s, v in plan.items() if s != slot})
    lines = []
    for e in usable:
        ev = st.events[e]
        cls = st.classes[ev.cls]
        h = cls.host_at_slot[slot]
        why = state.structural_block(e, reserve_minimums=False)
        if why == "city":
            other = state.city_used[cls.city]
            text = f"{st.inst.cities[cls.city].name} already hosts on {st.dates[other]}"
        elif why == "region max":
            region = st.inst.regions[cls.region]
            text = f"{region.id} already has its maximum of {region.max_events} events"
        elif why == "consecutive":
            text = f"{st.inst.regions[cls.region].id} already hosts a neighbouring slot"
        elif state.team_for(e) is None:
            text = "its eligible trainers are already booked to their max_events"
        else:
            text = "could be added (the solver stopped before using it)"
        lines.append(f"{host_label(st, h)}: {text}")
    return (
        f"all {len(usable)} host(s) that could take {day} are ruled out by the rest of the "
        f"plan: {_listing(lines)}"
    )


def slot_choice(
    st: Structure, plan: Assignment, slot: int, region_min_ok: bool = True
) -> dict[str, Any]:
    """Chosen host's contribution versus the best alternative host for the same slot."""
    tw = st.inst.rules.travel_weight
    e, team = plan[slot]
    state = PlanState(st, {s: v for s, v in plan.items() if s != slot})
    chosen_cls = st.classes[st.events[e].cls]
    reach = state.marginal_reach(e)
    km = team_km(st, st.events[e].cls, team)
    chosen: dict[str, Any] = {
        "host": st.inst.hosts[chosen_cls.host_at_slot[slot]].id,
        "reach_gain": round(reach, 1),
        "travel_km": round(km, 1),
        "net": round(reach - tw * km, 1),
    }
    region_min = st.inst.regions[chosen_cls.region].min_events
    best: dict[str, Any] | None = None
    for alt in st.events_by_slot[slot]:
        if alt == e:
            continue
        alt_cls = st.classes[st.events[alt].cls]
        if state.structural_block(alt, reserve_minimums=False) is not None:
            continue
        if (
            alt_cls.region != chosen_cls.region
            and state.region_count[chosen_cls.region] < region_min
        ):
            continue  # swapping would break the chosen region's minimum
        found = best_team(st, st.events[alt], state.capacity > 0)
        if found is None:
            continue
        alt_reach = state.marginal_reach(alt)
        net = alt_reach - tw * found[0]
        if best is None or net > best["net"]:
            best = {
                "host": st.inst.hosts[alt_cls.host_at_slot[slot]].id,
                "reach_gain": round(alt_reach, 1),
                "travel_km": round(found[0], 1),
                "net": round(net, 1),
            }
    label = host_label(st, chosen_cls.host_at_slot[slot])
    text = (
        f"{label} adds {chosen['reach_gain']:.1f} reach for {chosen['travel_km']:.0f} trainer-km "
        f"(net {chosen['net']:.1f})"
    )
    if best is None:
        text += "; no other host can take this date alongside the rest of the plan"
    else:
        diff = chosen["net"] - best["net"]
        other = host_label(st, st.host_index[best["host"]])
        text += (
            f"; the runner-up {other} would add {best['reach_gain']:.1f} reach for "
            f"{best['travel_km']:.0f} trainer-km (net {best['net']:.1f}), "
            + (
                f"{diff:.1f} less"
                if diff >= 0
                else f"{-diff:.1f} more, but the plan as a whole is worth less with it"
            )
        )
    return {"slot": slot, "chosen": chosen, "runner_up": best, "text": text}


def region_shortfall(st: Structure, region: int, missing: int, staffable: set[int]) -> str:
    reg = st.inst.regions[region]
    cities = defaultdict(set)
    for e in staffable:
        cls = st.classes[st.events[e].cls]
        if cls.region == region:
            cities[cls.city].add(st.events[e].slot)
    head = (
        f"region {reg.id} needs at least {reg.min_events} events but at most "
        f"{reg.min_events - missing} can be scheduled"
    )
    if len(cities) < reg.min_events:
        return (
            f"{head}: only {len(cities)} of its cities have a host that can be staffed on an "
            f"allowed date; recruit hosts or trainers there, or lower min_events"
        )
    return (
        f"{head}: its {len(cities)} staffable host cities compete for the same dates with other "
        f"regions' minimums or the no-consecutive-region rule; widen their windows or lower min_events"
    )
