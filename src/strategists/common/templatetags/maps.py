"""``{% points_map %}``: an offline, script-free SVG map of the US and Canada.

Usage::

    {% load maps %}
    {% points_map points lines=travel title=_("Trainings") description="" map_id="plan" %}

``points`` and ``lines`` are described in :func:`strategists.common.geo.build_map`. The tag
renders ``common/map.html``: an inline ``<svg role="img">`` (basemap, markers as links, labels
that do not overlap, travel lines), a legend, and a ``<details>`` table listing every point.
Styles are in ``static/css/map.css`` (classes only: the site's CSP forbids inline styles).
"""

from __future__ import annotations

import hashlib

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from strategists.common.geo import build_map

register = template.Library()


def _kind_labels() -> dict[str, str]:
    return {
        "held": _("Training held"),
        "planned": _("Training planned"),
        "trainer": _("Trainer"),
        "place": _("Place"),
        "travel": _("Trainer travel"),
        "link": _("Connection"),
    }


def _summary(data: dict, labels: dict[str, str]) -> str:
    shown = sum(1 for row in data["rows"] if row["on_map"])
    parts = [
        ngettext(
            "Map of the United States and Canada with %(count)d place",
            "Map of the United States and Canada with %(count)d places",
            shown,
        )
        % {"count": shown}
    ]
    parts += [f"{labels[kind]}: {count}" for kind, count in data["counts"].items()]
    if data["lines"]:
        parts.append(f"{labels['travel']}: {len(data['lines'])}")
    return "; ".join(parts) + "."


@register.inclusion_tag("common/map.html")
def points_map(points, lines=(), title="", description="", map_id=""):
    """Render ``points`` (and optional ``lines``) on the US + Canada basemap."""
    points = list(points or [])
    lines = list(lines or [])
    title = str(title or _("Map"))
    data = build_map(points, lines, title=title, description=str(description or ""))
    labels = _kind_labels()
    if not map_id:
        digest = hashlib.blake2s(
            repr((title, [sorted(p.items()) for p in points])).encode(), digest_size=4
        )
        map_id = f"map-{digest.hexdigest()}"
    for marker in data["markers"]:
        marker["kind_label"] = labels[marker["kind"]]
    for row in data["rows"]:
        row["kind_label"] = labels[row["kind"]]
    data["legend"] = [{"kind": k, "label": labels[k]} for k in data["kinds"]]
    data["line_legend"] = [{"kind": k, "label": labels[k]} for k in data["line_kinds"]]
    data["summary"] = data["description"] or _summary(data, labels)
    data["map_id"] = map_id
    data["total"] = len(data["rows"])
    data["off_map"] = sum(1 for row in data["rows"] if not row["on_map"])
    data["has_notes"] = any(row["note"] for row in data["rows"])
    return {"map": data}
