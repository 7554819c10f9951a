"""Independent feasibility checker and scorer for plans.

Deliberately shares no code with the model, the greedy or the preprocessing: every rule of
FORMAT.md is re-implemented here directly on the plan's JSON, with its own date and distance
arithmetic, so a modelling bug cannot hide behind a checker that makes the same mistake.
Only the validated instance dataclasses are shared (they are data, not rules).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .instance import Instance, Window, load_instance


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # FORMAT.md: haversine on a sphere of radius 6371.0 km. Deliberately not
    # common.geo.haversine_km (the one the rest of the project uses): the checker re-derives
    # every rule on its own, so a mistake in the shared distance cannot pass unnoticed here.
    # tests/common/test_geo.py checks that the two agree.
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _in_any(day: dt.date, windows: Iterable[Window]) -> bool:
    return any(w.start <= day <= w.end for w in windows)


@dataclass(frozen=True)
class PlanScore:
    filled: int
    reach: float
    travel_km: float
    score: float


def _as_instance(instance: Instance | dict[str, Any]) -> Instance:
    return instance if isinstance(instance, Instance) else load_instance(instance)


def score_plan(instance: Instance | dict[str, Any], plan: dict[str, Any]) -> PlanScore:
    """Objective of a plan per FORMAT.md (filled slots, then reach - weight * travel)."""
    inst = _as_instance(instance)
    cities = {c.id: c for c in inst.cities}
    trainers = {t.id: t for t in inst.trainers}
    rules = inst.rules
    event_cities = [cities[e["city"]] for e in plan.get("events", []) if e.get("city") in cities]
    reach = 0.0
    for person_city in inst.cities:
        best = 0.0
        for ec in event_cities:
            d = _km(person_city.lat, person_city.lon, ec.lat, ec.lon)
            if d <= rules.reach_radius_km:
                best = max(best, math.exp(-d / rules.reach_decay_km))
        reach += person_city.demand * best
    travel = 0.0
    for event in plan.get("events", []):
        event_city = cities.get(event.get("city"))
        for tid in event.get("trainers", []):
            if event_city is not None and tid in trainers:
                tc = cities[trainers[tid].city]
                travel += _km(tc.lat, tc.lon, event_city.lat, event_city.lon)
    filled = len({e.get("slot") for e in plan.get("events", [])})
    return PlanScore(filled, reach, travel, reach - rules.travel_weight * travel)


def check_plan(instance: Instance | dict[str, Any], plan: dict[str, Any]) -> list[str]:
    """Every violated FORMAT.md rule of ``plan``, as readable strings (empty = feasible)."""
    inst = _as_instance(instance)
    rules = inst.rules
    cities = {c.id: c for c in inst.cities}
    hosts = {h.id: h for h in inst.hosts}
    trainers = {t.id: t for t in inst.trainers}
    regions = {r.id: r for r in inst.regions}
    problems: list[str] = []
    events = plan.get("events", [])
    slot_day = {
        t: inst.start_date + dt.timedelta(days=t * inst.cadence_days) for t in range(inst.slots)
    }

    slots_seen = Counter(e.get("slot") for e in events)
    for slot, n in slots_seen.items():
        if n > 1:
            problems.append(f"rule 1: slot {slot} has {n} events")
    city_seen = Counter(hosts[e["host"]].city for e in events if e.get("host") in hosts)
    for city_id, n in city_seen.items():
        if n > 1:
            problems.append(f"rule 2: city {city_id} hosts {n} times")

    region_of_slot: dict[int, str] = {}
    work: Counter[str] = Counter()
    for i, event in enumerate(events):
        where = f"event {i} (slot {event.get('slot')})"
        slot = event.get("slot")
        if not isinstance(slot, int) or slot not in slot_day:
            problems.append(f"rule 1: {where}: slot out of range")
            continue
        day = slot_day[slot]
        if "date" in event and event["date"] != day.isoformat():
            problems.append(f"{where}: date {event['date']} is not the slot's date {day}")
        host = hosts.get(event.get("host"))
        if host is None:
            problems.append(f"rule 1: {where}: unknown host {event.get('host')!r}")
            continue
        if event.get("city") != host.city:
            problems.append(
                f"{where}: city {event.get('city')!r} is not the host's city {host.city}"
            )
        city = cities[host.city]
        region_of_slot[slot] = city.region
        if not _in_any(day, host.windows):
            problems.append(f"rule 1: {where}: {day} is outside host {host.id}'s windows")
        for conflict in inst.conflicts:
            lo = conflict.start - dt.timedelta(days=conflict.buffer_days)
            hi = conflict.end + dt.timedelta(days=conflict.buffer_days)
            if lo <= day <= hi and (not conflict.regions or city.region in conflict.regions):
                problems.append(f"rule 1: {where}: blocked by {conflict.name}")
        team = event.get("trainers", [])
        if len(set(team)) != len(team):
            problems.append(f"rule 5: {where}: a trainer is listed twice")
        if not rules.trainers_min <= len(set(team)) <= rules.trainers_max:
            problems.append(
                f"rule 5: {where}: {len(set(team))} trainers, need {rules.trainers_min}..{rules.trainers_max}"
            )
        taught: set[str] = set()
        for tid in set(team):
            trainer = trainers.get(tid)
            if trainer is None:
                problems.append(f"rule 5: {where}: unknown trainer {tid!r}")
                continue
            work[tid] += 1
            taught.update(trainer.topics)
            if not _in_any(day, trainer.available):
                problems.append(f"rule 5: {where}: trainer {tid} not available on {day}")
            tc = cities[trainer.city]
            if _km(tc.lat, tc.lon, city.lat, city.lon) > rules.trainer_max_km:
                problems.append(f"rule 5: {where}: trainer {tid} lives too far away")
            if not set(trainer.topics) & set(host.topics_needed):
                problems.append(f"rule 5: {where}: trainer {tid} teaches none of the needed topics")
        for topic in host.topics_needed:
            if topic not in taught:
                problems.append(f"rule 5: {where}: topic {topic} not covered")

    for tid, n in work.items():
        if n > trainers[tid].max_events:
            problems.append(
                f"rule 5: trainer {tid} works {n} events, max {trainers[tid].max_events}"
            )
    per_region = Counter(region_of_slot.values())
    for rid, region in regions.items():
        if not region.min_events <= per_region[rid] <= region.max_events:
            problems.append(
                f"rule 3: region {rid} has {per_region[rid]} events, allowed {region.min_events}..{region.max_events}"
            )
    if rules.no_consecutive_region:
        for slot, rid in region_of_slot.items():
            if region_of_slot.get(slot + 1) == rid:
                problems.append(f"rule 4: slots {slot} and {slot + 1} are both in {rid}")

    filled = set(slots_seen)
    explained = {u.get("slot") for u in plan.get("unfilled", []) if u.get("reason")}
    for slot in range(inst.slots):
        if slot not in filled and slot not in explained:
            problems.append(f"slot {slot} is neither filled nor explained")
    return problems
