"""Small hand-made instances for the planning core's tests."""

import copy
import math

# c1 and c2 are 85 km apart on the same parallel; c3 is far away (about 2,600 km)
CITIES = [
    {"id": "c1", "name": "Alpha", "region": "east", "lat": 40.0, "lon": -75.0, "demand": 100},
    {"id": "c2", "name": "Beta", "region": "west", "lat": 40.0, "lon": -74.0, "demand": 50},
    {"id": "c3", "name": "Gamma", "region": "west", "lat": 40.0, "lon": -105.0, "demand": 10},
]
ALL_YEAR = [{"start": "2027-01-01", "end": "2027-12-31"}]


def base(**changes) -> dict:
    instance = {
        "name": "tiny",
        "start_date": "2027-01-04",
        "slots": 1,
        "cadence_days": 7,
        "topics": ["a", "b"],
        "regions": [
            {"id": "east", "min_events": 0, "max_events": 5},
            {"id": "west", "min_events": 0, "max_events": 5},
        ],
        "cities": copy.deepcopy(CITIES),
        "hosts": [
            {
                "id": "h1",
                "organization": "Alpha Council",
                "city": "c1",
                "windows": ALL_YEAR,
                "topics_needed": ["a"],
            },
        ],
        "conflicts": [],
        "trainers": [
            {
                "id": "t1",
                "name": "T1",
                "city": "c1",
                "topics": ["a"],
                "available": ALL_YEAR,
                "max_events": 5,
            },
        ],
        "rules": {
            "trainers_min": 1,
            "trainers_max": 2,
            "reach_decay_km": 100.0,
            "reach_radius_km": 300.0,
            "trainer_max_km": 500.0,
            "travel_weight": 0.1,
            "no_consecutive_region": False,
        },
    }
    instance.update(changes)
    return copy.deepcopy(instance)  # tests mutate freely; shared windows must not leak


def host(hid: str, city: str, topics=("a",), windows=ALL_YEAR) -> dict:
    return {
        "id": hid,
        "organization": f"{hid} Council",
        "city": city,
        "windows": list(windows),
        "topics_needed": list(topics),
    }


def trainer(tid: str, city: str, topics=("a",), available=ALL_YEAR, max_events=5) -> dict:
    return {
        "id": tid,
        "name": tid,
        "city": city,
        "topics": list(topics),
        "available": list(available),
        "max_events": max_events,
    }


def km(a: str, b: str) -> float:
    ca = next(c for c in CITIES if c["id"] == a)
    cb = next(c for c in CITIES if c["id"] == b)
    p1, p2 = math.radians(ca["lat"]), math.radians(cb["lat"])
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(cb["lon"] - ca["lon"]) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def reach_of(*event_cities: str, decay=100.0, radius=300.0) -> float:
    total = 0.0
    for c in CITIES:
        values = [
            math.exp(-km(c["id"], e) / decay) for e in event_cities if km(c["id"], e) <= radius
        ]
        total += c["demand"] * max(values, default=0.0)
    return total
