"""A finished plan as the coordinator reads it: a calendar of slots and a map.

Works from the run's own snapshot (instance + plan), so an old run reads the same later. Reach
per training attributes each city to its best training (as the objective counts it), so the
trainings' reach adds up to the plan's.
"""

import datetime as dt
import math
from collections import defaultdict

from django.urls import reverse

from strategists.common.geo import haversine_km
from strategists.planner import export
from strategists.planner.core.instance import EARTH_RADIUS_KM
from strategists.planner.models import PlanRun


def _km(a: dict, b: dict) -> float:
    return haversine_km(a, b, radius_km=EARTH_RADIUS_KM)


def reach_by_host(instance: dict, events: list[dict]) -> dict[str, float]:
    rules = instance["rules"]
    cities = {c["id"]: c for c in instance["cities"]}
    hosts = {h["id"]: h for h in instance["hosts"]}
    reach: dict[str, float] = defaultdict(float)
    for city in instance["cities"]:
        best, best_host = 0.0, None
        for event in events:
            where = cities[hosts[event["host"]]["city"]]
            d = _km(city, where)
            if d <= rules["reach_radius_km"]:
                value = math.exp(-d / rules["reach_decay_km"])
                if value > best:
                    best, best_host = value, event["host"]
        if best_host is not None:
            reach[best_host] += city["demand"] * best
    return reach


def present(run: PlanRun, locks=()) -> dict:
    """Rows for the calendar, points and lines for the map, and the plan's figures."""
    instance, plan = run.instance, run.plan or {}
    cities = {c["id"]: c for c in instance["cities"]}
    hosts = {h["id"]: h for h in instance["hosts"]}
    trainers = {t["id"]: t for t in instance["trainers"]}
    events = plan.get("events", [])
    reach = reach_by_host(instance, events)
    why = {e["slot"]: e for e in plan.get("explanations", [])}
    unfilled = {u["slot"]: u["reason"] for u in plan.get("unfilled", [])}
    by_slot = {e["slot"]: e for e in events}
    locked_events = {(lock.slot, lock.event_id) for lock in locks if lock.event_id}
    locked_trainers = {(lock.slot, lock.trainer_id) for lock in locks if lock.trainer_id}
    start = dt.date.fromisoformat(instance["start_date"])
    rows, points, lines = [], [], []
    for slot in range(instance["slots"]):
        day = start + dt.timedelta(days=slot * instance["cadence_days"])
        event = by_slot.get(slot)
        if event is None:
            rows.append(
                {"slot": slot, "date": day, "event": None, "reason": unfilled.get(slot, "")}
            )
            continue
        host = hosts[event["host"]]
        city = cities[host["city"]]
        event_pk = export.parse_id(event["host"], "event")
        href = reverse("events:detail", kwargs={"pk": event_pk}) if event_pk else ""
        team = []
        for tid in event["trainers"]:
            trainer = trainers[tid]
            home = cities[trainer["city"]]
            user_pk = export.parse_id(tid, "trainer")
            team.append(
                {
                    "id": tid,
                    "pk": user_pk,
                    "name": trainer["name"],
                    "home": home["name"],
                    "km": round(_km(home, city)),
                    "locked": (slot, user_pk) in locked_trainers,
                }
            )
        rows.append(
            {
                "slot": slot,
                "date": day,
                "event": event,
                "event_pk": event_pk,
                "href": href,
                "organization": host["organization"],
                "city": city["name"],
                "topics": host["topics_needed"],
                "team": team,
                "reach": round(reach.get(event["host"], 0.0), 1),
                "travel_km": round(sum(member["km"] for member in team)),
                "explanation": why.get(slot, {}).get("text", ""),
                "runner_up": why.get(slot, {}).get("runner_up"),
                "locked": (slot, event_pk) in locked_events,
            }
        )
        place = {
            "lat": city["lat"],
            "lon": city["lon"],
            "label": city["name"],
            "name": host["organization"],
            "note": day.isoformat(),
            "href": href,
            "kind": "planned",
        }
        points.append(place)
        for member in team:
            home = cities[trainers[member["id"]]["city"]]
            where = {
                "lat": home["lat"],
                "lon": home["lon"],
                "label": home["name"],
                "name": member["name"],
                "kind": "trainer",
            }
            points.append(where)
            lines.append({"from": where, "to": place, "kind": "travel", "label": member["name"]})
    return {
        "rows": rows,
        "points": points,
        "lines": lines,
        "filled": len(events),
        "slots": instance["slots"],
        "reach": plan.get("reach"),
        "travel_km": plan.get("travel_km"),
        "score": plan.get("score"),
        "status": plan.get("status"),
        "binding": plan.get("binding", []),
        "seconds": plan.get("seconds"),
        "gap": plan.get("gap"),
    }
