"""The offline US + Canada map: projection, distances, label layout, template tag, basemap."""

import itertools
import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.template import Context, Template
from django.utils import translation

from strategists.common import geo
from strategists.planner.core.checker import _km as checker_km
from strategists.planner.core.instance import EARTH_RADIUS_KM
from strategists.planner.core.structure import distance_matrix
from tools import build_basemap

CITIES = {
    "Seattle": (47.61, -122.33),
    "San Francisco": (37.77, -122.42),
    "Los Angeles": (34.05, -118.24),
    "San Diego": (32.72, -117.16),
    "Phoenix": (33.45, -112.07),
    "Denver": (39.74, -104.99),
    "Dallas": (32.78, -96.80),
    "Houston": (29.76, -95.37),
    "Chicago": (41.88, -87.63),
    "Detroit": (42.33, -83.05),
    "Atlanta": (33.75, -84.39),
    "Miami": (25.76, -80.19),
    "Washington": (38.91, -77.04),
    "New York": (40.71, -74.01),
    "Boston": (42.36, -71.06),
    "Vancouver": (49.28, -123.12),
    "Victoria": (48.43, -123.37),
    "Calgary": (51.05, -114.07),
    "Edmonton": (53.55, -113.49),
    "Saskatoon": (52.13, -106.67),
    "Regina": (50.45, -104.61),
    "Winnipeg": (49.90, -97.14),
    "Toronto": (43.65, -79.38),
    "Ottawa": (45.42, -75.70),
    "Montréal": (45.50, -73.57),
    "Québec": (46.81, -71.21),
    "Halifax": (44.65, -63.57),
    "St. John's": (47.56, -52.71),
}


def xy(city):
    return geo.project(*CITIES[city])


def test_cities_are_in_the_right_relative_positions():
    assert xy("Seattle")[0] < xy("Boston")[0]  # west is left
    assert xy("Los Angeles")[0] < xy("Denver")[0] < xy("Chicago")[0] < xy("New York")[0]
    assert xy("Vancouver")[0] < xy("Calgary")[0] < xy("Winnipeg")[0] < xy("Toronto")[0]
    assert xy("Montréal")[1] < xy("New York")[1]  # north is up (SVG y grows down)
    assert xy("Miami")[1] > xy("Atlanta")[1]
    assert xy("Edmonton")[1] < xy("Calgary")[1] < xy("Denver")[1] < xy("Dallas")[1]


def test_major_cities_fit_in_the_viewbox_with_room_for_a_marker():
    width, height = geo.basemap()["width"], geo.basemap()["height"]
    assert geo.basemap()["viewBox"] == f"0 0 {width:g} {height:g}"
    for city in CITIES:
        x, y = xy(city)
        assert geo.MAX_RADIUS <= x <= width - geo.MAX_RADIUS, city
        assert geo.MAX_RADIUS <= y <= height - geo.MAX_RADIUS, city


def _path_points(d):
    """Absolute points of a basemap path (absolute M, relative l)."""
    points = []
    for ring in re.findall(r"M([^z]+)z", d):
        head, _, body = ring.partition("l")
        x, y = (float(v) for v in head.split())
        points.append((x, y))
        numbers = [float(v) for v in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", body)]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            points.append((x, y))
    return points


@pytest.mark.parametrize(
    ("region", "place"),
    [("US-KS", (37.69, -97.34)), ("CA-MB", (49.90, -97.14)), ("US-FL", (28.54, -81.38)),
     ("CA-QC", (46.81, -71.21)), ("US-WA", (47.61, -122.33))],
)  # fmt: skip
def test_projection_matches_the_basemap_outlines(region, place):
    (d,) = [r["d"] for r in geo.basemap()["regions"] if r["id"] == region]
    xs, ys = zip(*_path_points(d), strict=True)
    x, y = geo.project(*place)
    assert min(xs) < x < max(xs)
    assert min(ys) < y < max(ys)


def test_basemap_is_small_and_says_where_it_comes_from():
    assert geo.BASEMAP_PATH.stat().st_size < 120 * 1024
    data = json.loads(geo.BASEMAP_PATH.read_text(encoding="utf-8"))
    assert "Natural Earth" in data["source"]
    assert "public domain" in data["license"]
    ids = {r["id"] for r in data["regions"]}
    assert {"US-NY", "US-CA", "US-TX", "CA-ON", "CA-QC", "CA-BC", "CA-NS"} <= ids
    assert all(re.fullmatch(r"[Ml0-9 .z-]+", r["d"]) for r in data["regions"])


def test_haversine_known_distances():
    assert geo.haversine_km(CITIES["New York"], CITIES["Los Angeles"]) == pytest.approx(
        3936, rel=0.01
    )
    assert geo.haversine_km({"lat": 45.50, "lon": -73.57}, {"lat": 43.65, "lon": -79.38}) == (
        pytest.approx(504, rel=0.01)
    )  # Montréal - Toronto
    assert geo.haversine_km(CITIES["Boston"], CITIES["Boston"]) == 0


def test_planner_distances_agree_with_the_one_haversine():
    # The planner's checker keeps its own copy on purpose and the solver a numpy one; both
    # must give what common.geo gives on the planner's sphere.
    names = list(CITIES)
    lats, lons = [CITIES[n][0] for n in names], [CITIES[n][1] for n in names]
    matrix = distance_matrix(lats, lons, lats, lons)
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            expected = geo.haversine_km(CITIES[a], CITIES[b], radius_km=EARTH_RADIUS_KM)
            assert matrix[i, j] == pytest.approx(expected, abs=1e-6)
            assert checker_km(*CITIES[a], *CITIES[b]) == pytest.approx(expected, abs=1e-9)


def point(city, **extra):
    lat, lon = CITIES[city]
    return {"lat": lat, "lon": lon, "label": city, **extra}


def test_overlapping_labels_are_culled_heaviest_first():
    windsor = {"lat": 42.30, "lon": -83.02, "label": "Windsor, ON", "weight": 1}
    data = geo.build_map(
        [windsor, point("Detroit", weight=5), point("Seattle", weight=1)], title="t"
    )
    shown = {m["label"] for m in data["markers"] if m["label_level"]}
    assert shown == {"Detroit", "Seattle"}
    assert len(data["markers"]) == 3  # every point keeps its marker


def test_no_two_kept_labels_overlap_on_a_crowded_map():
    points = [point(city, weight=1 + i % 3) for i, city in enumerate(CITIES)]
    data = geo.build_map(points, title="t")
    for level, scale in (("major", geo.PHONE_SCALE), ("minor", 1.0)):
        levels = {"major"} if level == "major" else {"major", "minor"}
        kept = [m for m in data["markers"] if m["label_level"] in levels]
        boxes = [geo._label_box(m, "start" if m["label_dx"] > 0 else "end", scale) for m in kept]
        for a, b in itertools.combinations(boxes, 2):
            assert not geo._box_overlaps(a, b)
    assert sum(1 for m in data["markers"] if m["label_level"]) >= len(CITIES) // 2
    assert any(not m["label_level"] for m in data["markers"])  # the east coast is crowded


def test_markers_scale_with_weight_and_odd_points_go_to_the_table_only():
    honolulu = {"lat": 21.31, "lon": -157.86, "label": "Honolulu, HI"}
    nowhere = {"label": "Online", "href": "javascript:alert(1)"}
    data = geo.build_map(
        [point("Chicago", weight=4), point("Denver", weight=1), honolulu, nowhere], title="t"
    )
    radius = {m["label"]: m["r"] for m in data["markers"]}
    assert radius["Chicago"] == geo.MAX_RADIUS
    assert geo.MIN_RADIUS < radius["Denver"] < radius["Chicago"]
    assert [r["on_map"] for r in data["rows"]] == [True, True, False, False]
    assert data["rows"][3]["href"] == ""  # never a javascript: link


def test_lines_join_points_and_know_their_length():
    points = [point("New York", kind="trainer"), point("Los Angeles", kind="planned")]
    data = geo.build_map(points, [(0, 1), {"from": CITIES["Boston"], "to": 0}], title="t")
    assert [line["km"] for line in data["lines"]] == [pytest.approx(3936, rel=0.01), 306]
    assert data["lines"][0]["d"].startswith("M") and "Q" in data["lines"][0]["d"]
    assert data["kinds"] == ["planned", "trainer"]


TRAININGS = [
    point("Detroit", href="/trainings/12/", weight=3, kind="held", name="Detroit training"),
    point("Toronto", href="/trainings/13/", kind="planned", name="Toronto <training>"),
    point("Montréal", href="/trainings/14/", kind="planned", note="2026-05-02"),
    point("Ottawa", href="/people/3/", kind="trainer"),
    {"lat": 21.31, "lon": -157.86, "label": "Honolulu, HI", "href": "/trainings/15/"},
]


def render(**context):
    template = Template(
        "{% load maps %}{% points_map points lines=lines title=title map_id=map_id %}"
    )
    defaults = {"points": TRAININGS, "lines": [(3, 2)], "title": "Trainings", "map_id": ""}
    return template.render(Context({**defaults, **context}))


@pytest.mark.parametrize("language", ["en", "fr"])
def test_template_tag_renders_an_accessible_svg_and_a_table(language):
    with translation.override(language):
        html = render()
    svg_text = html[html.index("<svg") : html.index("</svg>") + 6]
    svg = ET.fromstring(svg_text)  # noqa: S314 (our own output) well-formed, numbers not "1,5"
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert svg.get("role") == "img"
    for ref in svg.get("aria-labelledby").split():
        assert svg.find(f".//*[@id='{ref}']", ns) is not None
    assert svg.find("s:title", ns).text == "Trainings"

    links = svg.findall(".//s:a", ns)
    on_map = [p for p in TRAININGS if p["lon"] > -140]
    assert sorted(a.get("href") for a in links) == sorted(p["href"] for p in on_map)
    assert all(a.find(".//s:circle/s:title", ns) is not None for a in links)
    assert svg.findall(".//s:path[@class='map-line map-line-travel']", ns)
    assert re.fullmatch(
        r"translate\(-?[\d.]+ -?[\d.]+\)", svg.find(".//s:a/..", ns).get("transform")
    )

    table = html[html.index("<details") :]
    for p in TRAININGS:
        assert p["label"] in table
        assert f'href="{p["href"]}"' in table
    assert "Toronto &lt;training&gt;" in html and "<training>" not in html
    for kind in ("held", "planned", "trainer"):
        assert f"map-swatch map-swatch-{kind}" in html  # legend
    assert "style=" not in html and "<script" not in html


def test_template_tag_ids_are_stable_and_overridable():
    assert render() == render()
    html = render(map_id="planner-map")
    assert 'aria-labelledby="planner-map-title planner-map-desc"' in html


def test_template_tag_with_no_points_still_renders_the_basemap():
    html = render(points=[], lines=[])
    assert "<svg" in html and "map-state" in html and "<a " not in html


def test_topojson_decoding_and_simplification():
    topology = {
        "transform": {"scale": [0.5, 0.25], "translate": [-100, 40]},
        "arcs": [[[0, 0], [2, 0], [0, 4]], [[2, 4], [-2, -4]]],
    }
    arcs = build_basemap.decode_arcs(topology)
    assert arcs == [[(-100, 40), (-99, 40), (-99, 41)], [(-99, 41), (-100, 40)]]
    ring = build_basemap.ring_from_arcs([0, 1], arcs)
    assert ring == [(-100, 40), (-99, 40), (-99, 41), (-100, 40)]
    assert build_basemap.ring_from_arcs([~1], arcs)[0] == (-100, 40)
    line = [(0, 0), (1, 0.05), (2, -0.05), (3, 0), (4, 5)]
    assert build_basemap.douglas_peucker(line, 0.1) == [(0, 0), (3, 0), (4, 5)]
    square = [(-5, -5), (5, -5), (5, 5), (-5, 5)]
    assert build_basemap.ring_area(build_basemap.clip_ring(square, 10, 10)) == 25
