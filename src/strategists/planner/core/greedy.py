"""Greedy construction: the MIP's warm start and the benchmark's baseline.

Lazy greedy on marginal value (reach gained minus weighted travel of the cheapest team that
still fits the trainers' remaining capacity). Both parts only get worse as the plan grows
(reach is submodular, capacities shrink), so a popped candidate whose refreshed value still
beats the next one in the heap is the true best -- the classic lazy-evaluation argument.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .structure import Structure, best_team

# slot -> (event index, team of trainer indices)
Assignment = dict[int, tuple[int, tuple[int, ...]]]


@dataclass
class Requirements:
    """Locks translated to indices: the event forced on a slot, trainers forced onto a slot."""

    event_at: dict[int, int] = field(default_factory=dict)
    trainers_at: dict[int, tuple[int, ...]] = field(default_factory=dict)


@dataclass
class PlanState:
    st: Structure
    plan: Assignment = field(default_factory=dict)

    def __post_init__(self) -> None:
        st = self.st
        self.city_used: dict[int, int] = {}
        self.region_count = np.zeros(len(st.inst.regions), dtype=np.int64)
        self.capacity = st.trainer_capacity.copy()
        self.best = np.zeros(len(st.inst.cities))
        plan, self.plan = self.plan, {}
        for slot, (e, team) in plan.items():
            self.add(slot, e, team)

    def region_at(self, slot: int) -> int | None:
        item = self.plan.get(slot)
        return None if item is None else self.st.classes[self.st.events[item[0]].cls].region

    def add(self, slot: int, e: int, team: Sequence[int]) -> None:
        st = self.st
        cls = st.classes[st.events[e].cls]
        self.plan[slot] = (e, tuple(team))
        self.city_used[cls.city] = slot
        self.region_count[cls.region] += 1
        for k in team:
            self.capacity[k] -= 1
        idx, val = st.reach_cols[st.host_city_pos[cls.city]]
        np.maximum.at(self.best, idx, val)

    def marginal_reach(self, e: int) -> float:
        st = self.st
        idx, val = st.reach_cols[st.host_city_pos[st.classes[st.events[e].cls].city]]
        return float(np.maximum(val - self.best[idx], 0.0).sum())

    def structural_block(self, e: int, reserve_minimums: bool = True) -> str | None:
        """Why event ``e`` cannot join the current plan (ignoring trainers), or None."""
        st = self.st
        event = st.events[e]
        cls = st.classes[event.cls]
        region = st.inst.regions[cls.region]
        if event.slot in self.plan:
            return "slot taken"
        if cls.city in self.city_used:
            return "city"
        if self.region_count[cls.region] >= region.max_events:
            return "region max"
        if st.inst.rules.no_consecutive_region:
            for nb in (event.slot - 1, event.slot + 1):
                if self.region_at(nb) == cls.region:
                    return "consecutive"
        if reserve_minimums:
            free_after = st.inst.slots - len(self.plan) - 1
            short = sum(
                max(0, r.min_events - int(self.region_count[i]) - (i == cls.region))
                for i, r in enumerate(st.inst.regions)
            )
            if short > free_after:
                return "minimums"
        return None

    def team_for(
        self, e: int, required: Sequence[int] = ()
    ) -> tuple[float, tuple[int, ...]] | None:
        usable = self.capacity > 0
        return best_team(self.st, self.st.events[e], usable, required=required)


def greedy(
    st: Structure,
    requirements: Requirements | None = None,
    seed: Assignment | None = None,
    allowed_events: set[int] | None = None,
) -> Assignment:
    """Build a plan; ``seed`` (e.g. a repaired previous plan) is kept and completed."""
    req = requirements or Requirements()
    state = PlanState(st)
    tw = st.inst.rules.travel_weight
    # locked events first: they are not negotiable
    for slot, e in sorted(req.event_at.items()):
        if slot in state.plan or state.structural_block(e, reserve_minimums=False):
            continue
        team = state.team_for(e, req.trainers_at.get(slot, ()))
        if team is not None:
            state.add(slot, e, team[1])
    for slot, (e, seeded) in sorted((seed or {}).items()):
        if slot in state.plan or state.structural_block(e, reserve_minimums=False):
            continue
        if all(state.capacity[k] > 0 for k in seeded):
            state.add(slot, e, seeded)

    def value(e: int) -> tuple[float, tuple[int, ...]] | None:
        slot = st.events[e].slot
        team = state.team_for(e, req.trainers_at.get(slot, ()))
        if team is None:
            return None
        return state.marginal_reach(e) - tw * team[0], team[1]

    pool = [
        e
        for e in (range(len(st.events)) if allowed_events is None else sorted(allowed_events))
        if req.event_at.get(st.events[e].slot, e) == e
    ]

    def region_short(e: int) -> bool:
        cls = st.classes[st.events[e].cls]
        return bool(state.region_count[cls.region] < st.inst.regions[cls.region].min_events)

    # first the regions' minimums (else the plan may be infeasible), then everything
    for wanted in (region_short, None):
        heap = []
        for e in pool:
            if (wanted is None or wanted(e)) and state.structural_block(e) is None:
                v = value(e)
                if v is not None:
                    heap.append((-v[0], e))
        heapq.heapify(heap)
        while heap:
            _, e = heapq.heappop(heap)
            if state.structural_block(e) is not None or (wanted is not None and not wanted(e)):
                continue
            v = value(e)
            if v is None:
                continue
            if heap and v[0] < -heap[0][0] - 1e-9:
                heapq.heappush(heap, (-v[0], e))
                continue
            state.add(st.events[e].slot, e, v[1])
    return state.plan


def meets_minimums(st: Structure, plan: Assignment) -> bool:
    counts = np.zeros(len(st.inst.regions), dtype=np.int64)
    for e, _ in plan.values():
        counts[st.classes[st.events[e].cls].region] += 1
    return all(counts[i] >= r.min_events for i, r in enumerate(st.inst.regions))
