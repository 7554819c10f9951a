"""The mixed-integer model ("master") and the exact staffing subproblem.

Structure the master exploits, beyond the host-class aggregation done in ``structure``:

* **Candidate trainers with overflow pools.** For each event only the few cheapest trainers of
  each topic signature get a binary variable. All other eligible trainers of a signature are
  aggregated into one integer *pool* variable priced at the cheapest of them and exempt from
  their capacities. The master is therefore a relaxation of the full problem, so its dual
  bound is a valid bound; a solution that draws on a pool is re-staffed exactly by the
  subproblem and, if the pool mattered, its trainers are promoted to candidates and the master
  is solved again.
* **Redundant capacity rows are dropped**: a trainer who is a candidate on no more slots than
  their ``max_events`` can never exceed it (one event per slot).
* **Reach** uses the strong facility-location linking (``w[j,c] <= open[c]``) on city pairs
  within the radius only; a city reachable from a single host city needs no variable at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .greedy import Assignment, Requirements
from .highs_mip import INF, MipBuilder, MipResult, solve_mip
from .structure import Structure


def team_cap(st: Structure, cls: int) -> int:
    r = st.inst.rules
    return min(r.trainers_max, max(r.trainers_min, len(st.classes[cls].needed)))


def pick_candidates(
    st: Structure, e: int, per_signature: int, forced: Sequence[int] = ()
) -> set[int]:
    """The ``per_signature`` cheapest eligible trainers of each topic signature (+ forced)."""
    event = st.events[e]
    chosen: set[int] = set()
    count: dict[int, int] = defaultdict(int)
    for i in range(len(event.trainers)):
        m = int(event.masks[i])
        if count[m] < per_signature:
            count[m] += 1
            chosen.add(int(event.trainers[i]))
    chosen.update(k for k in forced if k in set(event.trainers.tolist()))
    return chosen


@dataclass
class Master:
    st: Structure
    events: list[int]
    candidates: dict[int, set[int]]  # event -> trainers with their own variable
    req: Requirements
    b: MipBuilder = field(default_factory=MipBuilder)
    x: dict[int, int] = field(default_factory=dict)
    y: dict[tuple[int, int], int] = field(default_factory=dict)
    pools: dict[tuple[int, int], int] = field(default_factory=dict)
    open_col: dict[int, int] = field(default_factory=dict)
    w: list[tuple[int, int, int]] = field(default_factory=list)  # (city j, host city, col)
    region_slack: dict[int, int] = field(default_factory=dict)
    lock_slack: list[tuple[str, int]] = field(default_factory=list)
    count_row: int = -1

    def __post_init__(self) -> None:
        self._build()

    def _build(self) -> None:
        st, b = self.st, self.b
        inst = st.inst
        tw = inst.rules.travel_weight
        self.score_cost: list[float] = []
        self.count_cost: list[float] = []

        def col(score: float, count: float, lo: float, hi: float, integer: bool) -> int:
            self.score_cost.append(score)
            self.count_cost.append(count)
            return b.col(0.0, lo, hi, integer)

        by_slot: dict[int, list[int]] = defaultdict(list)
        by_region_slot: dict[tuple[int, int], list[int]] = defaultdict(list)
        by_city: dict[int, list[int]] = defaultdict(list)
        self.class_events: dict[int, list[int]] = defaultdict(list)
        for e in self.events:
            self.class_events[st.events[e].cls].append(e)
            ev = st.events[e]
            cls = st.classes[ev.cls]
            self.x[e] = col(0.0, 1.0, 0.0, 1.0, True)
            by_slot[ev.slot].append(self.x[e])
            by_region_slot[(cls.region, ev.slot)].append(self.x[e])
            by_city[cls.city].append(self.x[e])

        # reach: open[c] = number of events in host city c (at most one)
        single_value: dict[int, float] = defaultdict(float)
        reach_pairs: dict[int, list[tuple[int, float]]] = defaultdict(list)
        for c in by_city:
            idx, val = st.reach_cols[st.host_city_pos[c]]
            for j, v in zip(idx.tolist(), val.tolist(), strict=True):
                reach_pairs[j].append((c, v))
        for pairs in reach_pairs.values():
            if len(pairs) == 1:
                single_value[pairs[0][0]] += pairs[0][1]
        for c, xs in by_city.items():
            self.open_col[c] = col(single_value.get(c, 0.0), 0.0, 0.0, 1.0, False)
            b.row([self.open_col[c], *xs], [1.0] + [-1.0] * len(xs), 0.0, 0.0)
        for j, pairs in reach_pairs.items():
            if len(pairs) == 1:
                continue
            ws = []
            for c, v in pairs:
                wcol = col(v, 0.0, 0.0, 1.0, False)
                self.w.append((j, c, wcol))
                ws.append(wcol)
                b.row([wcol, self.open_col[c]], [1.0, -1.0], upper=0.0)
            b.row(ws, [1.0] * len(ws), upper=1.0)

        # Staffing of each event: its candidate trainers are binaries tied to the event
        # (y[k, e] <= x[e], which keeps the LP tight: it is integral at the root on most
        # instances), every other eligible trainer sits in a priced pool.
        rules = inst.rules
        trainer_slots: dict[int, set[int]] = defaultdict(set)
        trainer_cols: dict[int, list[int]] = defaultdict(list)
        locked_cols: dict[tuple[int, int], list[int]] = defaultdict(list)
        for e in self.events:
            ev = st.events[e]
            xe = self.x[e]
            n_topics = len(st.classes[ev.cls].needed)
            cand = self.candidates[e]
            team_cols: list[int] = []
            topic_cols: list[list[int]] = [[] for _ in range(n_topics)]
            outsiders: dict[int, list[float]] = defaultdict(list)
            for i in range(len(ev.trainers)):
                k, m, km = int(ev.trainers[i]), int(ev.masks[i]), float(ev.km[i])
                if k not in cand:
                    outsiders[m].append(km)
                    continue
                ycol = col(-tw * km, 0.0, 0.0, 1.0, True)
                self.y[(e, k)] = ycol
                b.row([ycol, xe], [1.0, -1.0], upper=0.0)
                trainer_slots[k].add(ev.slot)
                trainer_cols[k].append(ycol)
                if k in self.req.trainers_at.get(ev.slot, ()):
                    locked_cols[(ev.slot, k)].append(ycol)
                team_cols.append(ycol)
                for q in range(n_topics):
                    if m >> q & 1:
                        topic_cols[q].append(ycol)
            cap = team_cap(st, ev.cls)
            for m, kms in outsiders.items():
                ub = min(len(kms), cap)
                zcol = col(-tw * min(kms), 0.0, 0.0, float(ub), True)
                self.pools[(e, m)] = zcol
                b.row([zcol, xe], [1.0, -float(ub)], upper=0.0)
                team_cols.append(zcol)
                for q in range(n_topics):
                    if m >> q & 1:
                        topic_cols[q].append(zcol)
            b.row(
                [*team_cols, xe], [1.0] * len(team_cols) + [-float(rules.trainers_min)], lower=0.0
            )
            b.row(
                [*team_cols, xe], [1.0] * len(team_cols) + [-float(rules.trainers_max)], upper=0.0
            )
            for cols in topic_cols:
                b.row([*cols, xe], [1.0] * len(cols) + [-1.0], lower=0.0)
        for k, cols in trainer_cols.items():
            # one event per slot: a trainer free on few enough slots can never exceed max_events
            if len(trainer_slots[k]) > st.trainer_capacity[k]:
                b.row(cols, [1.0] * len(cols), upper=float(st.trainer_capacity[k]))

        # plan-level rules
        all_x = list(self.x.values())
        for xs in by_slot.values():
            if len(xs) > 1:
                b.row(xs, [1.0] * len(xs), upper=1.0)
        for r, region in enumerate(inst.regions):
            xs = [self.x[e] for e in self.events if st.classes[st.events[e].cls].region == r]
            cols, vals = list(xs), [1.0] * len(xs)
            if region.min_events > 0:
                s = col(0.0, -(inst.slots + 1.0), 0.0, float(region.min_events), False)
                self.region_slack[r] = s
                cols.append(s)
                vals.append(1.0)
            if region.min_events > 0:
                b.row(cols, vals, lower=float(region.min_events))
            if xs and len(xs) > region.max_events:
                b.row(xs, [1.0] * len(xs), upper=float(region.max_events))
        if rules.no_consecutive_region:
            for (r, t), xs in by_region_slot.items():
                nxt = by_region_slot.get((r, t + 1))
                if nxt:
                    b.row(xs + nxt, [1.0] * (len(xs) + len(nxt)), upper=1.0)
        for slot, e in self.req.event_at.items():
            s = col(0.0, -(inst.slots + 1.0), 0.0, 1.0, False)
            self.lock_slack.append((f"slot {slot} locked to host", s))
            b.row(
                [self.x[e], s] if e in self.x else [s],
                [1.0, 1.0] if e in self.x else [1.0],
                lower=1.0,
            )
        for slot, ks in self.req.trainers_at.items():
            for k in ks:
                s = col(0.0, -(inst.slots + 1.0), 0.0, 1.0, False)
                self.lock_slack.append((f"trainer {k} locked to slot {slot}", s))
                cols = locked_cols.get((slot, k), [])
                b.row([*cols, s], [1.0] * (len(cols) + 1), lower=1.0)
        self.count_row = b.row(all_x, [1.0] * len(all_x), lower=0.0)

    # --- solving -------------------------------------------------------------------------

    def start_vector(self, plan: Assignment) -> np.ndarray:
        """Column values for a full plan (used for setSolution)."""
        st = self.st
        v = np.zeros(self.b.num_cols)
        opened: set[int] = set()
        for e, team in plan.values():
            if e not in self.x:
                continue
            v[self.x[e]] = 1.0
            ev = st.events[e]
            opened.add(st.classes[ev.cls].city)
            masks = dict(zip(ev.trainers.tolist(), ev.masks.tolist(), strict=True))
            for k in team:
                if (e, k) in self.y:
                    v[self.y[(e, k)]] = 1.0
                elif (e, masks.get(k, -1)) in self.pools:
                    v[self.pools[(e, masks[k])]] += 1.0
        for c in opened:
            if c in self.open_col:
                v[self.open_col[c]] = 1.0
        best: dict[int, tuple[float, int]] = {}
        score = np.asarray(self.score_cost)
        for j, c, wcol in self.w:
            if c in opened and score[wcol] > best.get(j, (-1.0, -1))[0]:
                best[j] = (score[wcol], wcol)
        for _, wcol in best.values():
            v[wcol] = 1.0
        counts: dict[int, int] = defaultdict(int)
        for e, _ in plan.values():
            counts[st.classes[st.events[e].cls].region] += 1
        for r, s in self.region_slack.items():
            v[s] = max(0, st.inst.regions[r].min_events - counts[r])
        return v

    def solve(
        self,
        phase: str,
        *,
        count: int = 0,
        slacks: dict[int, float] | None = None,
        start: np.ndarray | None = None,
        **kw: Any,
    ) -> MipResult:
        b = self.b
        if phase == "count":
            b.cost = list(self.count_cost)
        else:
            b.cost = list(self.score_cost)
            b.row_lower[self.count_row] = float(count)
        saved: dict[int, tuple[float, float]] = {}
        for s, value in (slacks or {}).items():
            saved[s] = (b.lower[s], b.upper[s])
            b.lower[s] = b.upper[s] = value
        try:
            return solve_mip(b, maximize=True, start=start, **kw)
        finally:
            for s, (lo, hi) in saved.items():
                b.lower[s], b.upper[s] = lo, hi
            b.row_lower[self.count_row] = 0.0

    def read(self, values: np.ndarray) -> tuple[Assignment, set[int]]:
        """Plan from column values, plus the events whose team drew on a pool."""
        st = self.st
        plan: Assignment = {}
        pooled: set[int] = set()
        for e, xcol in self.x.items():
            if values[xcol] > 0.5:
                team = tuple(
                    k
                    for k in self.candidates[e]
                    if (e, k) in self.y and values[self.y[(e, k)]] > 0.5
                )
                plan[st.events[e].slot] = (e, tuple(sorted(team)))
        for (e, _), zcol in self.pools.items():
            if values[zcol] > 0.5 and values[self.x[e]] > 0.5:
                pooled.add(e)
        return plan, pooled

    def slack_values(self, values: np.ndarray) -> dict[tuple[str, int], float]:
        """Violations by rule (('region', r) or ('lock', i)), stable across rebuilt masters."""
        out = {("region", r): float(round(values[s])) for r, s in self.region_slack.items()}
        out.update(
            {("lock", i): float(round(values[s])) for i, (_, s) in enumerate(self.lock_slack)}
        )
        return out

    def slack_columns(self, violations: dict[tuple[str, int], float]) -> dict[int, float]:
        cols = dict.fromkeys(self.region_slack.values(), 0.0)  # unlisted rules must hold
        cols.update({s: 0.0 for _, s in self.lock_slack})
        for (kind, i), value in violations.items():
            cols[self.region_slack[i] if kind == "region" else self.lock_slack[i][1]] = value
        return cols


def staff(
    st: Structure, plan: Assignment, req: Requirements, time_limit: float, threads: int
) -> Assignment | None:
    """Exact minimum-travel trainer assignment for fixed events, over ALL eligible trainers."""
    b = MipBuilder()
    ycols: dict[tuple[int, int], int] = {}
    per_trainer: dict[int, list[int]] = defaultdict(list)
    rules = st.inst.rules
    for slot, (e, _) in plan.items():
        ev = st.events[e]
        n_topics = len(st.classes[ev.cls].needed)
        forced = set(req.trainers_at.get(slot, ()))
        cols: list[int] = []
        topic_cols: list[list[int]] = [[] for _ in range(n_topics)]
        for i in range(len(ev.trainers)):
            k = int(ev.trainers[i])
            c = b.col(float(ev.km[i]), 1.0 if k in forced else 0.0, 1.0, True)
            ycols[(e, k)] = c
            per_trainer[k].append(c)
            cols.append(c)
            for q in range(n_topics):
                if int(ev.masks[i]) >> q & 1:
                    topic_cols[q].append(c)
        b.row(cols, [1.0] * len(cols), float(rules.trainers_min), float(rules.trainers_max))
        for tc in topic_cols:
            b.row(tc, [1.0] * len(tc), lower=1.0)
    for k, cols in per_trainer.items():
        if len(cols) > st.trainer_capacity[k]:
            b.row(cols, [1.0] * len(cols), upper=float(st.trainer_capacity[k]))
    if b.num_cols == 0:
        return dict(plan) if not plan else None
    res = solve_mip(b, maximize=False, time_limit=time_limit, threads=threads, rel_gap=1e-9)
    if res.values is None:
        return None
    out: Assignment = {}
    for slot, (e, _) in plan.items():
        ev = st.events[e]
        team = tuple(sorted(int(k) for k in ev.trainers if res.values[ycols[(e, int(k))]] > 0.5))
        out[slot] = (e, team)
    return out


__all__ = ["INF", "Master", "pick_candidates", "staff", "team_cap"]
