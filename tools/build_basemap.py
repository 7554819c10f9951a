"""Build ``src/strategists/common/data/basemap.json``: the offline US + Canada basemap.

The map pages draw trainings on an inline SVG (no tiles, no CDN, no JavaScript), so the
outlines are pre-projected here once, at development time, and shipped as data.

Sources (all public domain geometry, fetched from package registries, nothing vendored)
--------------------------------------------------------------------------------------
* US states and Canadian provinces/territories: Natural Earth 1:50m admin-1 (states and
  provinces, Great Lakes cut out; public domain) from ``states50`` in the R data package
  rnaturalearthdata 0.1.0 (CC0), Debian package ``r-cran-rnaturalearthdata``. The npm
  registry has no permissively licensed Canadian provinces outline (``us-atlas`` is US-only,
  ``world-atlas`` has countries only, ``@amcharts/*-geodata`` is linkware, ``world-geojson``
  GPL), and both countries from one source share their borders exactly.
* Neighbouring land (Mexico, the Bahamas, Cuba, Greenland, Saint-Pierre-et-Miquelon), drawn
  muted: Natural Earth 1:50m admin-0 countries as TopoJSON from npm ``world-atlas@2.0.2``
  (countries-50m.json; ISC, Copyright 2013-2019 Michael Bostock).

How the shipped file was generated
----------------------------------
::

    apt-get install r-cran-rnaturalearthdata            # R + the CC0 data package
    cd /tmp && npm pack world-atlas@2.0.2 && mkdir world-atlas && \
        tar xzf world-atlas-2.0.2.tgz -C world-atlas
    .venv/bin/python tools/build_basemap.py \
        --world /tmp/world-atlas/package/countries-50m.json

The tool runs ``Rscript`` (``ADMIN1_EXPORT_R`` below) to export the 64 US and Canadian
admin-1 features as GeoJSON; pass ``--admin1 FILE`` to reuse such an export instead.

Steps: decode the TopoJSON arcs (delta + quantization transform) and read the GeoJSON rings,
project every vertex with an Albers equal-area conic (see ``PROJECTION``), simplify with
Douglas-Peucker in projected units (TopoJSON: per shared arc, so borders stay identical),
clip the rings to the viewBox (Sutherland-Hodgman), drop slivers and tiny islands, and write
one compact relative SVG path per region (holes such as lakes: fill-rule evenodd).

``strategists.common.geo.project`` reads the projection parameters from the JSON file, so
markers always line up with the outlines. Re-run this tool after changing ``PROJECTION``,
``WINDOW`` or the tolerances; the output must stay under 120 KB (a test checks).
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import tempfile
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "strategists" / "common" / "data" / "basemap.json"

# Albers equal-area conic. Standard parallels at 30.5 and 55.5 N keep distortion low from the
# Gulf coast to the Prairies and Labrador; the central meridian runs through Manitoba/Texas.
PROJECTION = {
    "type": "albers",
    "lat0": 45.0,
    "lon0": -96.0,
    "lat1": 30.5,
    "lat2": 55.5,
}
# Places that must be on the map (lat, lon): the lower 48 and southern Canada up to Churchill
# and Fort McMurray. The viewBox is their projected bounding box plus a margin; everything
# else is clipped (the territories' capitals, Alaska and Hawaii fall outside: markers there
# are listed in the map's table only).
WINDOW = [
    (49.0, -126.5),  # west coast of Vancouver Island
    (40.44, -124.41),  # Cape Mendocino, CA
    (54.5, -130.4),  # Prince Rupert, BC
    (56.73, -111.38),  # Fort McMurray, AB
    (58.77, -94.17),  # Churchill, MB
    (47.56, -52.71),  # St. John's, NL
    (24.55, -81.78),  # Key West, FL
    (25.90, -97.50),  # Brownsville, TX
    (32.72, -117.16),  # San Diego, CA
]
WIDTH = 1000.0  # viewBox width in user units; the height follows from the window
MARGIN = 0.025  # fraction of the width added on every side
TOLERANCE = 0.7  # Douglas-Peucker tolerance, viewBox units
MIN_AREA = 6.0  # rings smaller than this (square viewBox units) are dropped
CONTEXT = {
    "484": "Mexico", "192": "Cuba", "044": "Bahamas", "304": "Greenland",
    "666": "Saint-Pierre-et-Miquelon",
}  # fmt: skip
REGION_KINDS = {"Canada": ("CA", "province"), "United States of America": ("US", "state")}

# Exports rnaturalearthdata::states50 (sp polygons) for the US and Canada as GeoJSON. Every
# ring, outer or hole, becomes a ring of one Polygon: drawn with fill-rule evenodd.
ADMIN1_EXPORT_R = r"""
suppressMessages(library(sp))
d <- rnaturalearthdata::states50
d <- d[d$admin %in% c("Canada", "United States of America"), ]
num <- function(v) formatC(v, digits = 5, format = "f", drop0trailing = TRUE)
feats <- character(0)
for (i in seq_len(nrow(d@data))) {
  rings <- character(0)
  for (p in d@polygons[[i]]@Polygons) {
    xy <- p@coords
    rings <- c(rings, paste0("[[", paste0(num(xy[, 1]), ",", num(xy[, 2]), collapse = "],["), "]]"))
  }
  props <- sprintf('{"name":"%s","postal":"%s","admin":"%s"}', d$name[i], d$postal[i], d$admin[i])
  feats <- c(feats, sprintf('{"type":"Feature","properties":%s,"geometry":{"type":"Polygon","coordinates":[%s]}}',
                            props, paste(rings, collapse = ",")))
}
out <- paste0('{"type":"FeatureCollection","features":[', paste(feats, collapse = ","), "]}")
writeLines(out, commandArgs(trailingOnly = TRUE)[1], useBytes = TRUE)
"""


def albers(params: dict) -> callable:
    """Return ``f(lat, lon) -> (x, y)`` on the unit sphere, y pointing north."""
    phi0, phi1, phi2 = (math.radians(params[k]) for k in ("lat0", "lat1", "lat2"))
    lam0 = math.radians(params["lon0"])
    n = (math.sin(phi1) + math.sin(phi2)) / 2
    c = math.cos(phi1) ** 2 + 2 * n * math.sin(phi1)
    rho0 = math.sqrt(c - 2 * n * math.sin(phi0)) / n

    def forward(lat: float, lon: float) -> tuple[float, float]:
        rho = math.sqrt(c - 2 * n * math.sin(math.radians(lat))) / n
        theta = n * (math.radians(lon) - lam0)
        return rho * math.sin(theta), rho0 - rho * math.cos(theta)

    return forward


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode quantized, delta-encoded TopoJSON arcs into (lon, lat) lists."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        if transform:
            (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
            x = y = 0
            points = []
            for dx, dy in arc:
                x += dx
                y += dy
                points.append((x * sx + tx, y * sy + ty))
        else:
            points = [(p[0], p[1]) for p in arc]
        arcs.append(points)
    return arcs


def _segment_distance(p, a, b) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: list, tolerance: float) -> list:
    """Simplify a polyline, keeping both ends (iterative, no recursion limit)."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = _segment_distance(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def ring_from_arcs(indexes: list[int], arcs: list[list]) -> list:
    ring: list = []
    for i in indexes:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def polygons_of(geometry: dict) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def clip_ring(ring: list, width: float, height: float) -> list:
    """Sutherland-Hodgman clipping of a closed ring to the box [0, width] x [0, height]."""
    edges = (
        (lambda p: p[0] >= 0, lambda p, q: _cross_x(p, q, 0.0)),
        (lambda p: p[0] <= width, lambda p, q: _cross_x(p, q, width)),
        (lambda p: p[1] >= 0, lambda p, q: _cross_y(p, q, 0.0)),
        (lambda p: p[1] <= height, lambda p, q: _cross_y(p, q, height)),
    )
    out = ring[:-1] if len(ring) > 1 and ring[0] == ring[-1] else list(ring)
    for inside, cross in edges:
        if not out:
            break
        points, out = out, []
        prev = points[-1]
        for cur in points:
            if inside(cur):
                if not inside(prev):
                    out.append(cross(prev, cur))
                out.append(cur)
            elif inside(prev):
                out.append(cross(prev, cur))
            prev = cur
    return out


def _cross_x(p, q, x):
    t = (x - p[0]) / (q[0] - p[0])
    return (x, p[1] + t * (q[1] - p[1]))


def _cross_y(p, q, y):
    t = (y - p[1]) / (q[1] - p[1])
    return (p[0] + t * (q[0] - p[0]), y)


def ring_area(ring: list) -> float:
    return (
        abs(sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)))
        / 2
    )


def _num(value: float) -> str:
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    if text in ("", "-0"):
        return "0"
    return text.replace("0.", ".", 1) if text.startswith(("0.", "-0.")) else text


def path_d(rings: list[list]) -> str:
    """Compact SVG path: absolute moveto, relative lineto, one decimal."""
    parts = []
    for ring in rings:
        pts = [(round(x, 1), round(y, 1)) for x, y in ring]
        dedup = [pts[0]] + [p for prev, p in pairwise(pts) if p != prev]
        if len(dedup) < 3:
            continue
        chunks = [f"M{_num(dedup[0][0])} {_num(dedup[0][1])}l"]
        nums = []
        for (x0, y0), (x1, y1) in pairwise(dedup):
            nums.extend((_num(x1 - x0), _num(y1 - y0)))
        body = ""
        for n in nums:
            body += n if (not body or n.startswith("-")) else " " + n
        chunks.append(body + "z")
        parts.append("".join(chunks))
    return "".join(parts)


class Projector:
    """Albers projection scaled and translated into the viewBox."""

    def __init__(self, params: dict, window: list, width: float, margin: float):
        self.forward = albers(params)
        xs, ys = zip(*(self.forward(lat, lon) for lat, lon in window), strict=True)
        self.k = width * (1 - 2 * margin) / (max(xs) - min(xs))
        pad = width * margin
        self.x0 = pad - self.k * min(xs)
        self.y0 = pad + self.k * max(ys)
        self.width = width
        self.height = round(self.k * (max(ys) - min(ys)) + 2 * pad, 1)

    def __call__(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = self.forward(lat, lon)
        return self.x0 + self.k * x, self.y0 - self.k * y

    def params(self) -> dict:
        return {**PROJECTION, "scale": self.k, "x0": self.x0, "y0": self.y0}


def _encode(rings: list[list], proj: Projector) -> str:
    kept = []
    for ring in rings:
        clipped = clip_ring(ring, proj.width, proj.height)
        if len(clipped) >= 3 and ring_area(clipped) >= MIN_AREA:
            kept.append(clipped)
    return path_d(kept)


def topojson_regions(topology: dict, object_name: str, proj: Projector, select) -> list[dict]:
    """Project, simplify (per shared arc), clip and encode one TopoJSON object's geometries."""
    arcs = [
        douglas_peucker([proj(lat, lon) for lon, lat in arc], TOLERANCE)
        for arc in decode_arcs(topology)
    ]
    regions = []
    for geometry in topology["objects"][object_name]["geometries"]:
        meta = select(geometry)
        if meta is None:
            continue
        rings = [
            ring_from_arcs(indexes, arcs)
            for polygon in polygons_of(geometry)
            for indexes in polygon
        ]
        d = _encode(rings, proj)
        if d:
            regions.append({**meta, "d": d})
    return regions


def geojson_regions(collection: dict, proj: Projector) -> list[dict]:
    """US states and Canadian provinces from the admin-1 GeoJSON export."""
    regions = []
    for feature in collection["features"]:
        props, geometry = feature["properties"], feature["geometry"]
        if props.get("admin") not in REGION_KINDS:
            continue
        country, kind = REGION_KINDS[props["admin"]]
        polygons = geometry["coordinates"]
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [
            douglas_peucker([proj(lat, lon) for lon, lat in ring], TOLERANCE)
            for polygon in polygons
            for ring in polygon
        ]
        d = _encode(rings, proj)
        if d:
            regions.append({"id": f"{country}-{props['postal']}", "name": props["name"],
                            "kind": kind, "d": d})  # fmt: skip
    return regions


def export_admin1(target: Path) -> None:
    """Write the US + Canada admin-1 GeoJSON with Rscript (r-cran-rnaturalearthdata)."""
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as script:
        script.write(ADMIN1_EXPORT_R)
    try:
        subprocess.run(["Rscript", script.name, str(target)], check=True)  # noqa: S603, S607
    finally:
        Path(script.name).unlink()


def build(admin1_path: Path, world_path: Path) -> dict:
    proj = Projector(PROJECTION, WINDOW, WIDTH, MARGIN)
    world = json.loads(world_path.read_text(encoding="utf-8"))
    admin1 = json.loads(admin1_path.read_text(encoding="utf-8"))

    def context(geometry):
        gid = geometry.get("id")
        if gid in CONTEXT:
            return {"id": gid, "name": CONTEXT[gid], "kind": "context"}
        return None

    regions = topojson_regions(world, "countries", proj, context)
    regions += sorted(geojson_regions(admin1, proj), key=lambda r: r["id"])
    return {
        "source": (
            "US states and Canadian provinces: Natural Earth 1:50m admin-1 (states50 of the "
            "R package rnaturalearthdata 0.1.0, Debian r-cran-rnaturalearthdata). Neighbouring "
            "land: Natural Earth 1:50m admin-0 via npm world-atlas@2.0.2 (countries-50m.json). "
            "Projected, simplified and clipped by tools/build_basemap.py."
        ),
        "license": (
            "Natural Earth geometry: public domain (naturalearthdata.com). rnaturalearthdata: "
            "CC0. world-atlas TopoJSON packaging: ISC, Copyright 2013-2019 Michael Bostock."
        ),
        "viewBox": f"0 0 {_num(proj.width)} {_num(proj.height)}",
        "width": proj.width,
        "height": proj.height,
        "projection": proj.params(),
        "regions": regions,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--world", type=Path, required=True, help="world-atlas countries-50m.json")
    parser.add_argument(
        "--admin1", type=Path, help="US + Canada admin-1 GeoJSON (default: export it with R)"
    )
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        admin1 = args.admin1
        if admin1 is None:
            admin1 = Path(tmp) / "admin1.geojson"
            export_admin1(admin1)
        data = build(admin1, args.world)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    args.output.write_text(text + "\n", encoding="utf-8")
    size = len(text.encode()) + 1
    print(f"wrote {args.output}: {size} bytes, {len(data['regions'])} regions, {data['viewBox']}")


if __name__ == "__main__":
    main()
