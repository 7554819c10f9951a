"""The default program year, shared by the data migration and the service that recreates it.

Takes the Event model as an argument so the migration can pass its historical model."""

import datetime as dt

from django.db.models import Min
from django.utils import timezone


def default_year_start(Event) -> dt.date:
    """The day of the earliest training, fixed or windowed; today if there is none."""
    first = Event.objects.aggregate(start=Min("starts_at"), window=Min("window_start"))
    days = [timezone.localdate(first["start"])] if first["start"] else []
    if first["window"]:
        days.append(first["window"])
    return min(days, default=timezone.localdate())


def year_ending(start: dt.date) -> dt.date:
    try:
        return start.replace(year=start.year + 1) - dt.timedelta(days=1)
    except ValueError:  # 29 February
        return start + dt.timedelta(days=364)


def year_name(start: dt.date, end: dt.date) -> str:
    return f"{start.year}–{end.year}" if start.year != end.year else str(start.year)
