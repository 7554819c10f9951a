"""Chart geometry for the server-rendered SVG charts (templates goals/_burnup.svg, _pipeline.svg).

Pure Python: numbers in, coordinates out; the templates add the words (translated) and the SVG.
Coordinates are in the SVG's viewBox units; the chart scales to the width of the screen, so the
viewBox is narrow enough (480) that 12-unit text stays readable on a phone.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

WIDTH = 480
STAGE_COLORS = ("#d9d5cc", "#e3a49f", "#c9524a", "#8c1d17", "#1e6b35")  # registered ... certified


def nice_step(span: float, ticks: int = 5) -> float:
    """A round step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(float(m * power) for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def _points(pairs: Iterable[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in pairs)


def burnup(
    *,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    target: int,
    actual: Sequence[tuple[dt.date, float]],
    band: Sequence[tuple[dt.date, float, float, float]],
) -> dict[str, Any]:
    """Certified so far (``actual``, up to today), the forecast ``band`` (date, p10, p50, p90) after
    today, the target as a horizontal line and an even pace from 0 to the target."""
    height, left, right, top, bottom = 300, 46, 14, 14, 34
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    days = max((end - start).days, 1)
    band = [row for row in band if today < row[0] <= end]
    highest = max([target, *(v for _d, v in actual), *(row[3] for row in band)])
    step = nice_step(highest * 1.05)
    y_max = step * math.ceil(highest * 1.05 / step)

    def x(day: dt.date) -> float:
        return left + plot_w * min(max((day - start).days, 0), days) / days

    def y(value: float) -> float:
        return top + plot_h * (1 - value / y_max)

    now_value = actual[-1][1] if actual else 0.0
    anchor = [(min(today, end), now_value, now_value, now_value)] if band else []
    thinned = [row for i, row in enumerate(band) if i % 3 == 0 or i == len(band) - 1]
    future = anchor + thinned
    x_ticks = [{"x": round(x(day), 1), "day": day} for day in _month_starts(start, end)]
    chart = {
        "width": WIDTH,
        "height": height,
        "left": left,
        "right": WIDTH - right,
        "top": top,
        "bottom": top + plot_h,
        "y_ticks": [{"y": round(y(v), 1), "value": int(v)} for v in _range(0, y_max, step)],
        "x_ticks": x_ticks,
        "target_y": round(y(target), 1),
        "pace": _points([(x(start), y(0)), (x(end), y(target))]),
        "actual": _points([(x(d), y(v)) for d, v in actual]),
        "median": _points([(x(d), y(p50)) for d, _p10, p50, _p90 in future]),
        "band": _points(
            [(x(d), y(p90)) for d, _p10, _p50, p90 in future]
            + [(x(d), y(p10)) for d, p10, _p50, _p90 in reversed(future)]
        ),
        "has_band": len(future) > 1,
        "today_x": round(x(today), 1) if start <= today <= end else None,
    }
    chart["x_ticks"] = _spaced(x_ticks, 40)
    return chart


def _range(low: float, high: float, step: float) -> Iterator[float]:
    value = low
    while value <= high + step / 1000:
        yield value
        value += step


def _month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    months, day = [], start.replace(day=1)
    while day <= end:
        if day >= start:
            months.append(day)
        day = (day + dt.timedelta(days=32)).replace(day=1)
    return months


def _spaced(ticks: list[dict[str, Any]], gap: float) -> list[dict[str, Any]]:
    """Drop ticks closer than ``gap`` to the previous kept one (month labels on a narrow chart)."""
    kept: list[dict[str, Any]] = []
    for tick in ticks:
        if not kept or tick["x"] - kept[-1]["x"] >= gap:
            kept.append(tick)
    return kept


def pipeline(
    rows: Sequence[dict[str, Any]], stages: Sequence[str], labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """One band per region; its stages drawn as overlapping bars, the earliest (widest) behind.
    A legend in two columns sits above the bars."""
    labels = labels or {}
    legend_rows = math.ceil(len(stages) / 2)
    label_w, right, row_h, bar_h = 150, 40, 26, 16
    top = 8 + legend_rows * 20 + 6
    plot_w = WIDTH - label_w - right
    largest = max((row[stage] for row in rows for stage in stages), default=0) or 1
    bars = []
    for index, row in enumerate(rows):
        y = top + index * row_h
        bars.append(
            {
                "name": row["name"],
                "y": y,
                "text_y": y + bar_h / 2,
                "label_x": label_w - 6,
                "value_x": label_w + 4 + plot_w * row[stages[0]] / largest,
                "first": row[stages[0]],
                "last": row[stages[-1]],
                "stages": [
                    {
                        "stage": stage,
                        "value": row[stage],
                        "color": color,
                        "x": label_w,
                        "width": round(plot_w * row[stage] / largest, 1),
                    }
                    for stage, color in zip(stages, STAGE_COLORS, strict=False)
                ],
            }
        )
    height = top + max(len(rows), 1) * row_h + 4
    return {
        "width": WIDTH,
        "height": height,
        "bars": bars,
        "bar_height": bar_h,
        "label_width": label_w,
        "legend": [
            {
                "stage": stage,
                "label": labels.get(stage, stage),
                "color": color,
                "x": 8 + (i % 2) * (WIDTH // 2),
                "y": 8 + (i // 2) * 20,
            }
            for i, (stage, color) in enumerate(zip(stages, STAGE_COLORS, strict=False))
        ],
    }
