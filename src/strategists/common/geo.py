"""Offline maps of the US and Canada: projection, distances and map layout.

Pure Python (no Django), so the planner and the tests can use it directly. The outlines live
in ``data/basemap.json``, pre-projected by ``tools/build_basemap.py``; :func:`project` reads
the same Albers equal-area parameters from that file, so markers line up with the outlines.

:func:`build_map` turns points (trainings, trainers) and lines (trainer travel) into what the
``{% points_map %}`` template tag draws: projected markers sized by weight, labels placed so
they do not overlap, and curved lines with their great-circle distance.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

BASEMAP_PATH = Path(__file__).resolve().parent / "data" / "basemap.json"
EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

KINDS = ("held", "planned", "trainer", "place")  # drawing and legend order
LINE_KINDS = ("travel", "link")

# Label layout, in viewBox units (the basemap is 1000 units wide). Each marker and its label
# are drawn around the marker's centre; on narrow screens map.css scales that group by
# PHONE_SCALE (bigger dots and text) and hides the "minor" labels. Labels are therefore culled
# twice: at PHONE_SCALE for the "major" labels, then at 1 for the "minor" ones.
LABEL_FONT = 15.0
LABEL_GAP = 4.0  # between the marker's edge and its label
PHONE_SCALE = 2.2  # must match the transform in static/css/map.css
CHAR_WIDTH = 0.62  # average glyph advance, as a fraction of the font size
MIN_RADIUS = 5.0
MAX_RADIUS = 14.0
SAFE_HREF_PREFIXES = ("/", "#", "?", "https://", "http://", "mailto:")


@lru_cache(maxsize=1)
def basemap() -> dict[str, Any]:
    """The pre-projected outlines, viewBox and projection parameters (read once)."""
    return json.loads(BASEMAP_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _albers() -> tuple[float, float, float, float, float, float, float]:
    p = basemap()["projection"]
    phi0, phi1, phi2 = (math.radians(p[k]) for k in ("lat0", "lat1", "lat2"))
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(phi0)) / n
    return n, c, rho0, math.radians(p["lon0"]), p["scale"], p["x0"], p["y0"]


def project(lat: float, lon: float) -> tuple[float, float]:
    """Project a WGS84 latitude/longitude to SVG user units of the basemap (y grows down)."""
    n, c, rho0, lam0, scale, x0, y0 = _albers()
    rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
    theta = n * (math.radians(lon) - lam0)
    return x0 + scale * rho * math.sin(theta), y0 - scale * (rho0 - rho * math.cos(theta))


def _latlon(value: Any) -> tuple[float, float]:
    if isinstance(value, Mapping):
        return float(value["lat"]), float(value["lon"])
    lat, lon = value
    return float(lat), float(lon)


def haversine_km(a: Any, b: Any, *, radius_km: float = EARTH_RADIUS_KM) -> float:
    """Great-circle distance in km between two ``(lat, lon)`` pairs or ``{"lat", "lon"}`` dicts.

    The project's one haversine: the events list, expert routing, trainer staffing, plan
    results and the map all call it. The planner passes its FORMAT.md sphere (``radius_km=
    6371.0``) so its figures match the solver's; everyone else uses the mean Earth radius.
    """
    (lat1, lon1), (lat2, lon2) = _latlon(a), _latlon(b)
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * radius_km * math.asin(min(1.0, math.sqrt(h)))


def safe_href(href: Any) -> str:
    """Keep only relative, http(s) and mailto links (never ``javascript:``)."""
    text = str(href or "").strip()
    return text if text.startswith(SAFE_HREF_PREFIXES) else ""


def _box_overlaps(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _label_box(marker: dict, side: str, scale: float) -> tuple:
    font = LABEL_FONT * scale
    width = len(marker["label"]) * font * CHAR_WIDTH
    gap = (marker["r"] + LABEL_GAP) * scale
    x, y, half = marker["x"], marker["y"], font * 0.6
    if side == "end":
        return (x - gap - width, y - half, x - gap, y + half)
    return (x + gap, y - half, x + gap + width, y + half)


def _place_labels(markers: list[dict], width: float, height: float) -> None:
    """Greedy label placement: heaviest first, right of the marker, else left, else culled.

    Sets ``label_level``: "major" (fits even at phone scale), "minor" (desktop only) or ""
    (culled: it would overlap another label or a marker, or leave the map); and
    ``label_anchor`` ("start": right of the marker, "end": left) and ``label_dx``.
    """
    order = sorted(
        (m for m in markers if m["label"]),
        key=lambda m: (-m["weight"], KINDS.index(m["kind"]), m["index"]),
    )
    for m in markers:
        m["label_level"], m["label_anchor"], m["label_dx"] = "", "start", 0.0
    kept: list[tuple] = []  # labels kept so far, at desktop scale
    for level, scale in (("major", PHONE_SCALE), ("minor", 1.0)):
        dots = [
            (m["x"] - m["r"] * scale, m["y"] - m["r"] * scale,
             m["x"] + m["r"] * scale, m["y"] + m["r"] * scale)
            for m in markers
        ]  # fmt: skip
        labels = list(kept) if level == "minor" else []
        for m in order:
            if m["label_level"]:
                continue
            own = dots[markers.index(m)]
            for side in ("start", "end"):
                box = _label_box(m, side, scale)
                inside = box[0] >= 0 and box[1] >= 0 and box[2] <= width and box[3] <= height
                if not inside or any(_box_overlaps(box, t) for t in labels):
                    continue
                if any(_box_overlaps(box, d) for d in dots if d is not own):
                    continue
                labels.append(box)
                kept.append(_label_box(m, side, 1.0))
                gap = m["r"] + LABEL_GAP
                m["label_level"], m["label_anchor"] = level, side
                m["label_dx"] = gap if side == "start" else -gap
                break


def _resolve(ref: Any, points: Sequence[Mapping]) -> Mapping | None:
    if isinstance(ref, int) and not isinstance(ref, bool):
        return points[ref] if 0 <= ref < len(points) else None
    if isinstance(ref, Mapping) and ref.get("lat") is not None and ref.get("lon") is not None:
        return ref
    if isinstance(ref, Sequence) and not isinstance(ref, str) and len(ref) == 2:
        return {"lat": ref[0], "lon": ref[1]}
    return None


def _curve(x1: float, y1: float, x2: float, y2: float) -> str:
    """A gentle arc bowing north, like a flight path."""
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y2 - y1
    length = math.hypot(dx, dy) or 1.0
    nx, ny = -dy / length, dx / length
    if ny > 0:  # y grows down: bend towards smaller y
        nx, ny = -nx, -ny
    bend = 0.18 * length
    cx, cy = mx + nx * bend, my + ny * bend
    return f"M{x1:.1f} {y1:.1f}Q{cx:.1f} {cy:.1f} {x2:.1f} {y2:.1f}"


def build_map(
    points: Iterable[Mapping],
    lines: Iterable[Any] = (),
    *,
    title: str,
    description: str = "",
) -> dict[str, Any]:
    """Lay out a map of the US and Canada.

    ``points``: dicts with ``lat``, ``lon`` and optionally ``label`` (place, e.g. "Detroit,
    MI"), ``name`` (e.g. the training), ``note`` (e.g. a date), ``href``, ``weight`` (>= 0,
    scales the marker area; default 1) and ``kind`` (``held``, ``planned``, ``trainer``, else
    ``place``). Points without coordinates, or outside the map, are kept in ``rows`` (the
    table) but get no marker.

    ``lines``: ``(a, b)`` pairs or dicts ``{"from": a, "to": b, "kind": "travel", "label":
    ...}`` where ``a``/``b`` are indexes into ``points``, point dicts or ``(lat, lon)``.
    """
    base = basemap()
    width, height = float(base["width"]), float(base["height"])
    points = list(points)
    weights = [max(0.0, float(p.get("weight") or 0.0)) if "weight" in p else 1.0 for p in points]
    top = max(weights, default=1.0) or 1.0

    rows, markers = [], []
    for index, (point, weight) in enumerate(zip(points, weights, strict=True)):
        kind = point.get("kind") if point.get("kind") in KINDS else "place"
        label = str(point.get("label") or "")
        name = str(point.get("name") or "")
        note = str(point.get("note") or "")
        href = safe_href(point.get("href"))
        tooltip = " — ".join(part for part in (name, label, note) if part)
        row = {"index": index, "name": name or label, "label": label, "note": note,
               "href": href, "kind": kind, "on_map": False}  # fmt: skip
        rows.append(row)
        if point.get("lat") is None or point.get("lon") is None:
            continue
        x, y = project(float(point["lat"]), float(point["lon"]))
        if not (0 <= x <= width and 0 <= y <= height):
            continue
        row["on_map"] = True
        r = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(weight / top)
        markers.append({"index": index, "x": round(x, 1), "y": round(y, 1), "r": round(r, 1),
                        "label": label, "name": name, "note": note, "href": href,
                        "kind": kind, "weight": weight, "tooltip": tooltip or label})  # fmt: skip
    _place_labels(markers, width, height)
    # Big markers first so small ones stay visible (and clickable) on top of them.
    markers.sort(key=lambda m: (-m["r"], KINDS.index(m["kind"]), m["index"]))

    drawn_lines = []
    for item in lines:
        spec = item if isinstance(item, Mapping) else {"from": item[0], "to": item[1]}
        a, b = _resolve(spec.get("from"), points), _resolve(spec.get("to"), points)
        if a is None or b is None:
            continue
        (x1, y1), (x2, y2) = (
            project(float(a["lat"]), float(a["lon"])),
            project(float(b["lat"]), float(b["lon"])),
        )
        kind = spec.get("kind") if spec.get("kind") in LINE_KINDS else "travel"
        km = haversine_km(a, b)
        drawn_lines.append({
            "d": _curve(x1, y1, x2, y2), "kind": kind, "km": round(km),
            "label": str(spec.get("label") or ""),
            "from_label": str(a.get("label") or a.get("name") or ""),
            "to_label": str(b.get("label") or b.get("name") or ""),
        })  # fmt: skip

    present = {m["kind"] for m in markers} | {r["kind"] for r in rows}
    return {
        "title": title,
        "description": description,
        "viewBox": base["viewBox"],
        "width": width,
        "height": height,
        "regions": base["regions"],
        "markers": markers,
        "lines": drawn_lines,
        "rows": rows,
        "kinds": [k for k in KINDS if k in present],
        "line_kinds": [k for k in LINE_KINDS if any(ln["kind"] == k for ln in drawn_lines)],
        "counts": {k: sum(1 for r in rows if r["kind"] == k) for k in KINDS if k in present},
        "label_font": LABEL_FONT,
    }
