"""Badge images for credentials: one deterministic, accessible SVG per area and level.

The image is signed with the credential (OB 3.0 ``Achievement.image`` as a data URI), so the
same inputs must always give the same bytes: no clock, no randomness, no fonts fetched. Wallets
show it small, so the text is large and the contrast high (white on a dark colour, WCAG AA).
"""

from __future__ import annotations

import base64
import hashlib
from xml.sax.saxutils import escape

# Dark colours white text reads on at 4.5:1 or better; an area keeps its colour everywhere.
PALETTE = (
    "#1d4e89",
    "#7b2d26",
    "#2d6a4f",
    "#5a189a",
    "#8a4b08",
    "#264653",
    "#9d0208",
    "#3a5a40",
    "#6a040f",
    "#283618",
)
LINE_LENGTH = 18
MAX_LINES = 3


def colour_for(key: str) -> str:
    """A stable colour for an area: the same key gives the same colour in every process."""
    digest = hashlib.sha256(key.encode("utf-8")).digest()
    return PALETTE[digest[0] % len(PALETTE)]


def wrap(text: str, width: int = LINE_LENGTH, max_lines: int = MAX_LINES) -> list[str]:
    """Split on spaces into lines of at most ``width`` characters (a longer word stands alone);
    what does not fit in ``max_lines`` ends the last line with an ellipsis."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1][: width - 1] + "…"]
    return lines or [""]


def badge_svg(*, title: str, subtitle: str, program: str, level: int, key: str) -> str:
    """The badge: ``title`` (the area) in up to three lines, ``subtitle`` (the level's name),
    ``level`` filled marks out of three (0 for the certificate: a ring instead), ``program``
    along the bottom. ``key`` picks the colour. Everything shown is also in the title and
    description, which screen readers announce."""
    colour = colour_for(key)
    lines = wrap(title)
    first_y = 118 - 14 * (len(lines) - 1)
    text = "".join(
        f'<tspan x="120" y="{first_y + 28 * number}">{escape(line)}</tspan>'
        for number, line in enumerate(lines)
    )
    if level > 0:
        marks = "".join(
            f'<circle cx="{96 + 24 * mark}" cy="62" r="8" fill="{"#ffffff" if mark < level else "none"}"'
            ' stroke="#ffffff" stroke-width="3"/>'
            for mark in range(3)
        )
    else:
        marks = '<circle cx="120" cy="62" r="14" fill="none" stroke="#ffffff" stroke-width="4"/>'
    label = escape(f"{title}. {subtitle}. {program}.")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240"'
        ' role="img" aria-labelledby="badge-title badge-desc">'
        f'<title id="badge-title">{escape(title)}: {escape(subtitle)}</title>'
        f'<desc id="badge-desc">{label}</desc>'
        f'<circle cx="120" cy="120" r="116" fill="{colour}"/>'
        '<circle cx="120" cy="120" r="104" fill="none" stroke="#ffffff" stroke-width="3"/>'
        f"{marks}"
        '<g fill="#ffffff" font-family="sans-serif" text-anchor="middle">'
        f'<text font-size="20" font-weight="bold">{text}</text>'
        f'<text x="120" y="178" font-size="15">{escape(subtitle)}</text>'
        f'<text x="120" y="200" font-size="11">{escape(program)}</text>'
        "</g></svg>"
    )


def svg_data_uri(svg: str) -> str:
    """``data:image/svg+xml;base64,...``: base64, because a data URI in an IRI may not hold the
    spaces and quotes an SVG is full of."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def svg_from_data_uri(uri: str) -> str | None:
    """The SVG inside a data URI made by :func:`svg_data_uri`, or None for anything else."""
    prefix = "data:image/svg+xml;base64,"
    if not uri.startswith(prefix):
        return None
    try:
        return base64.b64decode(uri[len(prefix) :], validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return None


def issuer_svg(name: str) -> str:
    """The issuer's mark (OB 3.0 ``Profile.image``): its initials on the program's colour."""
    initials = "".join(word[0] for word in name.split() if word[:1].isalnum())[:3]
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="120" viewBox="0 0 120 120"'
        ' role="img" aria-labelledby="issuer-title">'
        f'<title id="issuer-title">{escape(name)}</title>'
        '<rect width="120" height="120" rx="16" fill="#1d4e89"/>'
        '<text x="60" y="74" fill="#ffffff" font-family="sans-serif" font-size="40"'
        f' font-weight="bold" text-anchor="middle">{escape(initials)}</text></svg>'
    )
