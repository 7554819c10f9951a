"""Preprocessing: the sparse structure every method (greedy, MIP, explanations) works on.

Two exact reductions happen here:

* Hosts in the same city that need the same topics are interchangeable for every rule and for
  the objective (reach and travel depend only on the city, staffing only on city + topics), so
  they collapse into one *host class* offering the union of their allowed slots.
* A candidate *event* is a (host class, slot) pair that is allowed (date in a window, not
  blocked by a conflict); its eligible trainers are kept as small numpy arrays.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from .instance import EARTH_RADIUS_KM, Instance


def distance_matrix(
    lat_a: ArrayLike, lon_a: ArrayLike, lat_b: ArrayLike, lon_b: ArrayLike
) -> np.ndarray:
    """Great-circle kilometres between every point of a and every point of b.

    common.geo.haversine_km's formula, vectorised with numpy: the solver needs the whole
    host-by-trainer matrix at once (tests/common/test_geo.py checks that the two agree).
    """
    la, lo = (
        np.radians(np.asarray(lat_a, float))[:, None],
        np.radians(np.asarray(lon_a, float))[:, None],
    )
    lb, ob = (
        np.radians(np.asarray(lat_b, float))[None, :],
        np.radians(np.asarray(lon_b, float))[None, :],
    )
    a = np.sin((lb - la) / 2) ** 2 + np.cos(la) * np.cos(lb) * np.sin((ob - lo) / 2) ** 2
    distances: np.ndarray = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    return distances


@dataclass
class HostClass:
    index: int
    city: int  # index into instance.cities
    region: int  # index into instance.regions
    needed: tuple[int, ...]  # topic indices
    hosts: list[int]  # host indices, input order
    host_at_slot: dict[int, int] = field(default_factory=dict)  # slot -> representative host


@dataclass
class Event:
    """A candidate event: host class ``cls`` on ``slot`` with its eligible trainers."""

    index: int
    cls: int
    slot: int
    trainers: np.ndarray  # trainer indices, sorted by distance
    masks: np.ndarray  # bitmask over the class's needed topics that each trainer teaches
    km: np.ndarray  # trainer city -> event city distance


@dataclass
class Structure:
    inst: Instance
    dates: list[dt.date]
    city_index: dict[str, int]
    region_index: dict[str, int]
    topic_index: dict[str, int]
    host_index: dict[str, int]
    trainer_index: dict[str, int]
    city_region: np.ndarray
    trainer_city: np.ndarray
    trainer_available: np.ndarray  # bool, trainers x slots
    trainer_capacity: np.ndarray
    blocked_by: list[list[list[str]]]  # region -> slot -> conflict names
    host_in_window: np.ndarray  # bool, hosts x slots
    host_allowed: np.ndarray  # bool, hosts x slots (window and not blocked)
    classes: list[HostClass]
    events: list[Event]
    events_by_slot: list[list[int]]
    event_of: dict[tuple[int, int], int]  # (class, slot) -> event
    host_cities: list[int]  # distinct cities that have a host class
    city_km: np.ndarray  # all cities x host_cities distances
    trainer_km: np.ndarray  # trainers x host_cities distances
    host_city_pos: dict[int, int]  # city index -> column in city_km / trainer_km
    reach_cols: list[tuple[np.ndarray, np.ndarray]]  # per host city: (city idx, demand*exp value)

    def slot_date(self, slot: int) -> dt.date:
        return self.dates[slot]


def build_structure(inst: Instance) -> Structure:
    rules = inst.rules
    n_slots = inst.slots
    dates = [inst.slot_date(t) for t in range(n_slots)]
    city_index = {c.id: i for i, c in enumerate(inst.cities)}
    region_index = {r.id: i for i, r in enumerate(inst.regions)}
    topic_index = {t: i for i, t in enumerate(inst.topics)}
    host_index = {h.id: i for i, h in enumerate(inst.hosts)}
    trainer_index = {t.id: i for i, t in enumerate(inst.trainers)}
    city_region = np.array([region_index[c.region] for c in inst.cities], dtype=np.int64)

    blocked_by: list[list[list[str]]] = [[[] for _ in range(n_slots)] for _ in inst.regions]
    for conflict in inst.conflicts:
        lo = conflict.start.toordinal() - conflict.buffer_days
        hi = conflict.end.toordinal() + conflict.buffer_days
        affected = [region_index[r] for r in conflict.regions] or range(len(inst.regions))
        for t, day in enumerate(dates):
            if lo <= day.toordinal() <= hi:
                for r in affected:
                    blocked_by[r][t].append(conflict.name)

    host_in_window = np.zeros((len(inst.hosts), n_slots), dtype=bool)
    for h, host in enumerate(inst.hosts):
        for t, day in enumerate(dates):
            host_in_window[h, t] = any(w.contains(day) for w in host.windows)
    host_allowed = host_in_window.copy()
    for h, host in enumerate(inst.hosts):
        region = city_region[city_index[host.city]]
        for t in range(n_slots):
            if blocked_by[region][t]:
                host_allowed[h, t] = False

    classes: list[HostClass] = []
    class_key: dict[tuple[int, tuple[int, ...]], int] = {}
    for h, host in enumerate(inst.hosts):
        needed = tuple(sorted(topic_index[t] for t in host.topics_needed))
        key = (city_index[host.city], needed)
        if key not in class_key:
            c = city_index[host.city]
            class_key[key] = len(classes)
            classes.append(HostClass(len(classes), c, int(city_region[c]), needed, []))
        cls = classes[class_key[key]]
        cls.hosts.append(h)
        for slot in np.flatnonzero(host_allowed[h]):
            cls.host_at_slot.setdefault(int(slot), h)

    trainer_city = np.array([city_index[t.city] for t in inst.trainers], dtype=np.int64)
    trainer_available = np.zeros((len(inst.trainers), n_slots), dtype=bool)
    for k, trainer in enumerate(inst.trainers):
        for t, day in enumerate(dates):
            trainer_available[k, t] = any(w.contains(day) for w in trainer.available)
    trainer_capacity = np.array([t.max_events for t in inst.trainers], dtype=np.int64)
    trainer_topics = np.zeros((len(inst.trainers), max(1, len(inst.topics))), dtype=bool)
    for k, trainer in enumerate(inst.trainers):
        for topic in trainer.topics:
            trainer_topics[k, topic_index[topic]] = True

    host_cities = sorted({cls.city for cls in classes})
    host_city_pos = {c: i for i, c in enumerate(host_cities)}
    lat = np.array([c.lat for c in inst.cities])
    lon = np.array([c.lon for c in inst.cities])
    if host_cities:
        city_km = distance_matrix(lat, lon, lat[host_cities], lon[host_cities])
    else:
        city_km = np.zeros((len(inst.cities), 0))
    trainer_km = city_km[trainer_city] if len(trainer_city) else np.zeros((0, len(host_cities)))

    demand = np.array([c.demand for c in inst.cities])
    reach_cols = []
    for pos in range(len(host_cities)):
        col = city_km[:, pos]
        hit = np.flatnonzero((col <= rules.reach_radius_km) & (demand > 0))
        reach_cols.append((hit, demand[hit] * np.exp(-col[hit] / rules.reach_decay_km)))

    events: list[Event] = []
    events_by_slot: list[list[int]] = [[] for _ in range(n_slots)]
    event_of: dict[tuple[int, int], int] = {}
    for cls in classes:
        pos = host_city_pos[cls.city]
        km = trainer_km[:, pos] if len(trainer_city) else np.zeros(0)
        needed_ix = np.array(cls.needed, dtype=np.int64)
        bits = (
            (1 << np.arange(len(needed_ix), dtype=np.int64))
            if len(needed_ix)
            else np.zeros(0, np.int64)
        )
        masks = (
            trainer_topics[:, needed_ix].astype(np.int64) @ bits
            if len(needed_ix)
            else np.zeros(len(km), np.int64)
        )
        near = np.flatnonzero((km <= rules.trainer_max_km) & (masks > 0) & (trainer_capacity > 0))
        near = near[np.argsort(km[near], kind="stable")]
        for t in sorted(cls.host_at_slot):
            ok = near[trainer_available[near, t]]
            e = Event(len(events), cls.index, t, ok, masks[ok], km[ok])
            event_of[(cls.index, t)] = e.index
            events_by_slot[t].append(e.index)
            events.append(e)

    return Structure(
        inst=inst,
        dates=dates,
        city_index=city_index,
        region_index=region_index,
        topic_index=topic_index,
        host_index=host_index,
        trainer_index=trainer_index,
        city_region=city_region,
        trainer_city=trainer_city,
        trainer_available=trainer_available,
        trainer_capacity=trainer_capacity,
        blocked_by=blocked_by,
        host_in_window=host_in_window,
        host_allowed=host_allowed,
        classes=classes,
        events=events,
        events_by_slot=events_by_slot,
        event_of=event_of,
        host_cities=host_cities,
        city_km=city_km,
        trainer_km=trainer_km,
        host_city_pos=host_city_pos,
        reach_cols=reach_cols,
    )


def best_team(
    st: Structure, event: Event, usable: np.ndarray | None = None, required: Sequence[int] = ()
) -> tuple[float, tuple[int, ...]] | None:
    """Cheapest valid team (travel km) for ``event``; ``usable`` masks which trainers may join.

    Exact: a dynamic programme over (team size, covered topics). Only the ``cap`` cheapest
    trainers of each topic signature can matter, where ``cap`` is the largest useful team size:
    with non-negative travel, a member beyond max(trainers_min, number of topics) is never needed.
    ``required`` trainers (locks) are seated first; None if any of them is not eligible.
    """
    rules = st.inst.rules
    n_topics = len(st.classes[event.cls].needed)
    full = (1 << n_topics) - 1
    cap = min(rules.trainers_max, max(rules.trainers_min, n_topics) + len(required))
    seat_cost, seat_mask = 0.0, 0
    for k in required:
        hit = np.flatnonzero(event.trainers == k)
        if len(hit) == 0 or (usable is not None and not usable[k]):
            return None
        seat_cost += float(event.km[hit[0]])
        seat_mask |= int(event.masks[hit[0]])
    if len(required) > rules.trainers_max:
        return None
    per_mask: dict[int, int] = {}
    items = []
    for i in range(len(event.trainers)):  # already sorted by distance
        k = int(event.trainers[i])
        if (usable is not None and not usable[k]) or k in required:
            continue
        m = int(event.masks[i])
        if per_mask.get(m, 0) >= cap:
            continue
        per_mask[m] = per_mask.get(m, 0) + 1
        items.append((float(event.km[i]), m, k))
    if len(items) + len(required) < rules.trainers_min:
        return None
    start = (len(required), seat_mask)
    dp: dict[tuple[int, int], tuple[float, tuple[int, ...]]] = {start: (seat_cost, tuple(required))}
    for km, m, k in items:
        for (n, covered), (cost, team) in list(dp.items()):
            if n >= cap:
                continue
            key = (n + 1, covered | m)
            new = cost + km
            old = dp.get(key)
            if old is None or new < old[0]:
                dp[key] = (new, (*team, k))
    best = None
    for (n, covered), value in dp.items():
        if covered == full and n >= rules.trainers_min and (best is None or value[0] < best[0]):
            best = value
    return best


def reach_of(st: Structure, open_cities: Iterable[int]) -> float:
    """Reach of a set of host-city indices (into instance.cities)."""
    best = np.zeros(len(st.inst.cities))
    for c in open_cities:
        idx, val = st.reach_cols[st.host_city_pos[c]]
        np.maximum.at(best, idx, val)
    return float(best.sum())


def team_km(st: Structure, cls: int, team: Iterable[int]) -> float:
    pos = st.host_city_pos[st.classes[cls].city]
    return float(sum(st.trainer_km[k, pos] for k in team))
