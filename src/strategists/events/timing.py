"""Event-local time: stored in UTC with the event's IANA zone, shown in that zone."""

import datetime as dt
import zoneinfo

REMINDER_LOCAL_TIME = dt.time(10, 0)
# Dates people may type for trainings and plans. Anything further out is a typo, and a year
# like 9999 overflows once moved to UTC or given a duration.
EARLIEST_DATE = dt.date(2000, 1, 1)
MAX_YEARS_AHEAD = 5


class NonexistentLocalTime(ValueError):
    """The clocks skip this local time (spring forward)."""


class AmbiguousLocalTime(ValueError):
    """The clocks go back over this local time: it happens twice."""


def latest_date(today: dt.date | None = None) -> dt.date:
    from django.utils import timezone

    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year + MAX_YEARS_AHEAD)
    except ValueError:  # February 29th
        return today.replace(year=today.year + MAX_YEARS_AHEAD, day=28)


def date_in_range(day: dt.date) -> bool:
    """Whether a typed date is one trainings and plans may have."""
    return EARLIEST_DATE <= day <= latest_date()


def local_to_utc(
    day: dt.date, time: dt.time, zone_name: str, *, refuse_ambiguous: bool = False
) -> dt.datetime:
    """`refuse_ambiguous`: raise AmbiguousLocalTime for a time the clocks go back over, instead
    of taking its first occurrence."""
    zone = zoneinfo.ZoneInfo(zone_name)
    local = dt.datetime.combine(day, time, tzinfo=zone)
    utc = local.astimezone(dt.UTC)
    if utc.astimezone(zone).replace(tzinfo=None) != local.replace(tzinfo=None):
        raise NonexistentLocalTime(f"{local:%Y-%m-%d %H:%M} does not exist in {zone_name}")
    if refuse_ambiguous and local.replace(fold=1).utcoffset() != local.utcoffset():
        raise AmbiguousLocalTime(f"{local:%Y-%m-%d %H:%M} happens twice in {zone_name}")
    return utc


def reminder_due(starts_at: dt.datetime, zone_name: str) -> dt.datetime:
    """10:00 event-local time on the day before the event, in UTC."""
    zone = zoneinfo.ZoneInfo(zone_name)
    day_before = starts_at.astimezone(zone).date() - dt.timedelta(days=1)
    return dt.datetime.combine(day_before, REMINDER_LOCAL_TIME, tzinfo=zone).astimezone(dt.UTC)


def local_label(moment: dt.datetime, zone_name: str) -> str:
    """'Sat, Mar 7 2027, 10 a.m. EST': in the event's own zone, in the reader's language."""
    from django.utils.formats import date_format
    from django.utils.translation import get_language

    local = moment.astimezone(zoneinfo.ZoneInfo(zone_name))
    # English reads "Sat, Mar 13 2027, 10 a.m."; Spanish and French put the day first, 24-hour.
    pattern = "D, M j Y, P" if (get_language() or "en").startswith("en") else "D j M Y, H:i"
    return f"{date_format(local, pattern)} {local.tzname()}"
