"""The rules a training's input follows, written once for the web form (events/forms.py) and the
API (api/events.py). Each rule raises a ValidationError naming the field; the field names default
to the form's, and the API passes its own (`start_date`, `strategists:online_url`, ...)."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from strategists.events.models import Event
from strategists.events.timing import (
    MAX_YEARS_AHEAD,
    AmbiguousLocalTime,
    NonexistentLocalTime,
    date_in_range,
    local_to_utc,
)

# Bounds both boundaries give their input fields, so a form and an API call refuse alike.
TITLE_MAX = 200
DESCRIPTION_MAX = 5000
VENUE_MAX = 200
ADDRESS_MAX = 300
ONLINE_URL_MAX = 200
CAPACITY_MIN, CAPACITY_MAX = 1, 5000
DURATION_MIN, DURATION_MAX = 30, 24 * 60


def _refuse(field: str, message: str):
    raise ValidationError({field: [message]})


def too_far() -> str:
    return ngettext(
        "Pick a date within the next year.",
        "Pick a date within the next %(years)d years.",
        MAX_YEARS_AHEAD,
    ) % {"years": MAX_YEARS_AHEAD}


def past() -> str:
    return _("This date is in the past.")


# An id or code that names nothing (a skill area, a language). Lazy: a form field's message.
UNKNOWN = gettext_lazy("Unknown: %(value)s.")


def unknown(values) -> str:
    return str(UNKNOWN) % {"value": ", ".join(str(value) for value in values)}


def check_date(day: dt.date, *, field: str = "date") -> None:
    """A typed date is today or later, and within MAX_YEARS_AHEAD. Checked before any arithmetic:
    year 9999 overflows once moved to UTC or given a duration."""
    if day < timezone.localdate():
        _refuse(field, past())
    if not date_in_range(day):
        _refuse(field, too_far())


def check_not_past(starts_at: dt.datetime, *, field: str = "date") -> None:
    """A new or moved start is not a moment already gone."""
    if starts_at < timezone.now():
        _refuse(field, past())


def local_start(
    day: dt.date,
    time: dt.time,
    zone_name: str,
    *,
    date_field: str = "date",
    time_field: str = "start_time",
) -> dt.datetime:
    """The UTC moment of a date and time on the clocks of the training's city. A time the clocks
    skip, or go back over (it happens twice), is refused rather than guessed."""
    check_date(day, field=date_field)
    try:
        return local_to_utc(day, time, zone_name, refuse_ambiguous=True)
    except NonexistentLocalTime:
        _refuse(
            time_field,
            _("This time doesn't exist on that day: the clocks change. Pick another time."),
        )
    except AmbiguousLocalTime:
        _refuse(
            time_field,
            _("This time happens twice on that day: the clocks go back. Pick another time."),
        )
    raise AssertionError("unreachable")  # each except refuses


def check_end(
    starts_at: dt.datetime | None, ends_at: dt.datetime | None, *, field: str = "end_date"
) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        _refuse(field, _("The end is before the start."))


def check_window(window_start: dt.date | None, window_end: dt.date | None) -> None:
    """A window of dates the planner picks the day from: both ends, in order, ahead."""
    if not (window_start and window_end):
        _refuse(
            "window_end" if window_start else "window_start", _("Give both ends of the window.")
        )
    if window_end < window_start:
        _refuse("window_end", _("The latest date is before the earliest date."))
    if window_start < timezone.localdate():
        _refuse("window_start", past())
    if not date_in_range(window_end):
        _refuse("window_end", too_far())


def schedule(
    *,
    day: dt.date | None,
    time: dt.time | None,
    window_start: dt.date | None,
    window_end: dt.date | None,
    zone_name: str | None,
    moved: bool = True,
) -> dt.datetime | None:
    """A training has a date and start time, or a window of dates. Returns the UTC start when a
    date is given (None for a window, or without a zone to place it). `moved`: the start is new
    or changed, so it may not be in the past (an unchanged start of a training under way may)."""
    if day or time:
        if not (day and time):
            _refuse("start_time" if day else "date", _("Give both the date and the start time."))
        if zone_name is None:
            check_date(day)
            return None
        starts_at = local_start(day, time, zone_name)
        if moved:
            check_not_past(starts_at)
        return starts_at
    if window_start or window_end:
        check_window(window_start, window_end)
        return None
    _refuse("date", _("Set a date and time, or a window of dates."))
    return None


def check_online_link(event_format: str, online_url: str, *, field: str = "online_url") -> None:
    if event_format != Event.Format.IN_PERSON and not online_url:
        _refuse(field, _("An online or hybrid training needs its link."))
