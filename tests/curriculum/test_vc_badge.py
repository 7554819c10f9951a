"""Badge images: one deterministic, accessible SVG per area and level, signed into the credential."""

# ruff: noqa: S314 (parsing the SVG we just generated, not untrusted input)

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from strategists.curriculum.vc.badge import (
    PALETTE,
    badge_svg,
    issuer_svg,
    svg_data_uri,
    svg_from_data_uri,
    wrap,
)

SVG = "{http://www.w3.org/2000/svg}"


def _badge(**changes):
    values = {
        "title": "Email and lists",
        "subtitle": "L2 Strategist",
        "program": "1000 Strategists",
        "level": 2,
        "key": "email-and-lists",
        **changes,
    }
    return badge_svg(**values)


def test_a_badge_names_its_area_level_and_program_for_screen_readers():
    root = ET.fromstring(_badge())

    assert (
        root.get("role"),
        root.get("aria-labelledby"),
        root.find(f"{SVG}title").text,
        root.find(f"{SVG}desc").text,
    ) == (
        "img",
        "badge-title badge-desc",
        "Email and lists: L2 Strategist",
        "Email and lists. L2 Strategist. 1000 Strategists.",
    )


def test_a_badge_fills_one_mark_per_level():
    filled = [
        sum(
            1
            for circle in ET.fromstring(_badge(level=level)).iter(f"{SVG}circle")
            if circle.get("r") == "8" and circle.get("fill") == "#ffffff"
        )
        for level in (1, 2, 3)
    ]

    assert filled == [1, 2, 3]


def test_the_same_area_and_level_always_give_the_same_bytes():
    assert (_badge() == _badge(), _badge() == _badge(level=3)) == (True, False)


def test_an_area_keeps_its_colour_at_every_level():
    colours = {
        ET.fromstring(_badge(level=level)).find(f"{SVG}circle").get("fill") for level in (1, 2, 3)
    }

    assert len(colours) == 1 and colours <= set(PALETTE)


def test_markup_in_a_name_is_text_not_markup():
    root = ET.fromstring(_badge(title='<script>alert("x")</script> & lists'))

    assert (root.find(f"{SVG}script"), root.find(f"{SVG}title").text) == (
        None,
        '<script>alert("x")</script> & lists: L2 Strategist',
    )


def test_long_names_wrap_into_three_lines_at_most():
    assert wrap("Online organizing, digital campaigns and the long haul of movement data") == [
        "Online organizing,",
        "digital campaigns",
        "and the long haul…",
    ]


@given(st.text(min_size=0, max_size=120))
def test_any_name_makes_well_formed_svg_that_round_trips_through_a_data_uri(name):
    name = "".join(ch for ch in name if ch.isprintable())
    svg = _badge(title=name, key=name)

    ET.fromstring(svg)
    assert svg_from_data_uri(svg_data_uri(svg)) == svg


def test_only_our_kind_of_data_uri_is_read_back():
    assert [
        svg_from_data_uri(uri)
        for uri in ("data:image/png;base64,AAAA", "data:image/svg+xml;base64,%%%", "https://x")
    ] == [None, None, None]


def test_the_issuer_mark_shows_initials_and_names_the_issuer():
    root = ET.fromstring(issuer_svg("1000 Strategists"))

    assert (root.find(f"{SVG}title").text, root.find(f"{SVG}text").text) == (
        "1000 Strategists",
        "1S",
    )
