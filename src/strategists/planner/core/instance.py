"""Instance dataclasses and validation of the FORMAT.md instance JSON.

Validation collects the *path* of every field it looks at, so an error reads like
``instance.hosts[3].windows[0].start: not a date`` and a coordinator can find the culprit.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import Any

EARTH_RADIUS_KM = (
    6371.0  # FORMAT.md's sphere; Django-side callers pass it to common.geo.haversine_km
)


class InstanceError(ValueError):
    """An instance (or lock / warm-start input) is malformed; ``field`` names the culprit."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class Window:
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Region:
    id: str
    min_events: int
    max_events: int


@dataclass(frozen=True)
class City:
    id: str
    name: str
    region: str
    lat: float
    lon: float
    demand: float


@dataclass(frozen=True)
class Host:
    id: str
    organization: str
    city: str
    windows: tuple[Window, ...]
    topics_needed: tuple[str, ...]


@dataclass(frozen=True)
class Conflict:
    name: str
    start: dt.date
    end: dt.date
    regions: tuple[str, ...]
    buffer_days: int


@dataclass(frozen=True)
class Trainer:
    id: str
    name: str
    city: str
    topics: tuple[str, ...]
    available: tuple[Window, ...]
    max_events: int


@dataclass(frozen=True)
class Rules:
    trainers_min: int
    trainers_max: int
    reach_decay_km: float
    reach_radius_km: float
    trainer_max_km: float
    travel_weight: float
    no_consecutive_region: bool


@dataclass(frozen=True)
class Instance:
    name: str
    start_date: dt.date
    slots: int
    cadence_days: int
    topics: tuple[str, ...]
    regions: tuple[Region, ...]
    cities: tuple[City, ...]
    hosts: tuple[Host, ...]
    conflicts: tuple[Conflict, ...]
    trainers: tuple[Trainer, ...]
    rules: Rules

    def slot_date(self, slot: int) -> dt.date:
        return self.start_date + dt.timedelta(days=slot * self.cadence_days)


# --- validation helpers: each takes the value and its path, returns the typed value ---------


def _obj(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InstanceError(path, "not an object")
    return value


def _field(obj: dict[str, Any], key: str, path: str) -> Any:
    if key not in obj:
        raise InstanceError(f"{path}.{key}", "missing")
    return obj[key]


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise InstanceError(path, "not a list")
    return value


def _str(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InstanceError(path, "not a non-empty string")
    return value


def _int(value: Any, path: str, minimum: int | None = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InstanceError(path, "not an integer")
    if minimum is not None and value < minimum:
        raise InstanceError(path, f"must be at least {minimum}")
    return value


def _num(value: Any, path: str, minimum: float = 0.0, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InstanceError(path, "not a number")
    if value < minimum or (positive and value <= 0):
        raise InstanceError(path, "must be positive" if positive else f"must be at least {minimum}")
    return float(value)


def _date(value: Any, path: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise InstanceError(path, "not a date") from None


def _windows(value: Any, path: str) -> tuple[Window, ...]:
    out = []
    for i, raw in enumerate(_list(value, path)):
        wpath = f"{path}[{i}]"
        obj = _obj(raw, wpath)
        start = _date(_field(obj, "start", wpath), f"{wpath}.start")
        end = _date(_field(obj, "end", wpath), f"{wpath}.end")
        if end < start:
            raise InstanceError(f"{wpath}.end", "before start")
        out.append(Window(start, end))
    return tuple(out)


def _ref(value: Any, path: str, known: set[str], what: str) -> str:
    text = _str(value, path)
    if text not in known:
        raise InstanceError(path, f"unknown {what} {text!r}")
    return text


def _unique_id(value: Any, path: str, seen: set[str]) -> str:
    text = _str(value, path)
    if text in seen:
        raise InstanceError(path, f"duplicate id {text!r}")
    seen.add(text)
    return text


def load_instance(data: Any) -> Instance:
    """Validate a parsed instance JSON object and return an :class:`Instance`.

    Raises :class:`InstanceError` naming the first offending field.
    """
    root = "instance"
    obj = _obj(data, root)
    name = str(obj.get("name", ""))
    start_date = _date(_field(obj, "start_date", root), f"{root}.start_date")
    slots = _int(_field(obj, "slots", root), f"{root}.slots", minimum=1)
    cadence = _int(_field(obj, "cadence_days", root), f"{root}.cadence_days", minimum=1)

    topics_path = f"{root}.topics"
    topic_seen: set[str] = set()
    topics = tuple(
        _unique_id(t, f"{topics_path}[{i}]", topic_seen)
        for i, t in enumerate(_list(_field(obj, "topics", root), topics_path))
    )

    regions = []
    region_seen: set[str] = set()
    for i, raw in enumerate(_list(_field(obj, "regions", root), f"{root}.regions")):
        path = f"{root}.regions[{i}]"
        r = _obj(raw, path)
        rid = _unique_id(_field(r, "id", path), f"{path}.id", region_seen)
        lo = _int(_field(r, "min_events", path), f"{path}.min_events")
        hi = _int(_field(r, "max_events", path), f"{path}.max_events")
        if hi < lo:
            raise InstanceError(f"{path}.max_events", "less than min_events")
        regions.append(Region(rid, lo, hi))

    cities = []
    city_seen: set[str] = set()
    for i, raw in enumerate(_list(_field(obj, "cities", root), f"{root}.cities")):
        path = f"{root}.cities[{i}]"
        c = _obj(raw, path)
        cid = _unique_id(_field(c, "id", path), f"{path}.id", city_seen)
        cname = str(c.get("name", cid))
        region = _ref(_field(c, "region", path), f"{path}.region", region_seen, "region")
        lat = _num(_field(c, "lat", path), f"{path}.lat", minimum=-90.0)
        if lat > 90:
            raise InstanceError(f"{path}.lat", "must be at most 90")
        lon = _num(_field(c, "lon", path), f"{path}.lon", minimum=-180.0)
        if lon > 180:
            raise InstanceError(f"{path}.lon", "must be at most 180")
        demand = _num(_field(c, "demand", path), f"{path}.demand")
        cities.append(City(cid, cname, region, lat, lon, demand))

    hosts = []
    host_seen: set[str] = set()
    for i, raw in enumerate(_list(_field(obj, "hosts", root), f"{root}.hosts")):
        path = f"{root}.hosts[{i}]"
        h = _obj(raw, path)
        hid = _unique_id(_field(h, "id", path), f"{path}.id", host_seen)
        org = str(h.get("organization", hid))
        city = _ref(_field(h, "city", path), f"{path}.city", city_seen, "city")
        windows = _windows(_field(h, "windows", path), f"{path}.windows")
        needed_path = f"{path}.topics_needed"
        needed = tuple(
            _ref(t, f"{needed_path}[{j}]", topic_seen, "topic")
            for j, t in enumerate(_list(_field(h, "topics_needed", path), needed_path))
        )
        hosts.append(Host(hid, org, city, windows, tuple(dict.fromkeys(needed))))

    conflicts = []
    for i, raw in enumerate(_list(obj.get("conflicts", []), f"{root}.conflicts")):
        path = f"{root}.conflicts[{i}]"
        c = _obj(raw, path)
        cname = _str(_field(c, "name", path), f"{path}.name")
        start = _date(_field(c, "start", path), f"{path}.start")
        end = _date(_field(c, "end", path), f"{path}.end")
        if end < start:
            raise InstanceError(f"{path}.end", "before start")
        regions_path = f"{path}.regions"
        cregions = tuple(
            _ref(r, f"{regions_path}[{j}]", region_seen, "region")
            for j, r in enumerate(_list(_field(c, "regions", path), regions_path))
        )
        buffer = _int(c.get("buffer_days", 0), f"{path}.buffer_days")
        conflicts.append(Conflict(cname, start, end, cregions, buffer))

    trainers = []
    trainer_seen: set[str] = set()
    for i, raw in enumerate(_list(_field(obj, "trainers", root), f"{root}.trainers")):
        path = f"{root}.trainers[{i}]"
        t = _obj(raw, path)
        tid = _unique_id(_field(t, "id", path), f"{path}.id", trainer_seen)
        tname = str(t.get("name", tid))
        city = _ref(_field(t, "city", path), f"{path}.city", city_seen, "city")
        tpath = f"{path}.topics"
        ttopics = tuple(
            _ref(x, f"{tpath}[{j}]", topic_seen, "topic")
            for j, x in enumerate(_list(_field(t, "topics", path), tpath))
        )
        available = _windows(_field(t, "available", path), f"{path}.available")
        max_events = _int(_field(t, "max_events", path), f"{path}.max_events")
        trainers.append(
            Trainer(tid, tname, city, tuple(dict.fromkeys(ttopics)), available, max_events)
        )

    rpath = f"{root}.rules"
    r = _obj(_field(obj, "rules", root), rpath)
    tmin = _int(_field(r, "trainers_min", rpath), f"{rpath}.trainers_min", minimum=1)
    tmax = _int(_field(r, "trainers_max", rpath), f"{rpath}.trainers_max", minimum=1)
    if tmax < tmin:
        raise InstanceError(f"{rpath}.trainers_max", "less than trainers_min")
    ncr = _field(r, "no_consecutive_region", rpath)
    if not isinstance(ncr, bool):
        raise InstanceError(f"{rpath}.no_consecutive_region", "not a boolean")
    rules = Rules(
        trainers_min=tmin,
        trainers_max=tmax,
        reach_decay_km=_num(
            _field(r, "reach_decay_km", rpath), f"{rpath}.reach_decay_km", positive=True
        ),
        reach_radius_km=_num(_field(r, "reach_radius_km", rpath), f"{rpath}.reach_radius_km"),
        trainer_max_km=_num(_field(r, "trainer_max_km", rpath), f"{rpath}.trainer_max_km"),
        travel_weight=_num(_field(r, "travel_weight", rpath), f"{rpath}.travel_weight"),
        no_consecutive_region=ncr,
    )
    return Instance(
        name=name,
        start_date=start_date,
        slots=slots,
        cadence_days=cadence,
        topics=topics,
        regions=tuple(regions),
        cities=tuple(cities),
        hosts=tuple(hosts),
        conflicts=tuple(conflicts),
        trainers=tuple(trainers),
        rules=rules,
    )
