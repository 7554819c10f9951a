"""iCalendar (RFC 5545) for one event, one person's registrations, or the whole program."""

import datetime as dt
from urllib.parse import urlencode

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from strategists.events.models import Event


def event_url(event: Event) -> str:
    return f"{settings.PUBLIC_URL}{reverse('events:detail', kwargs={'pk': event.pk})}"


def _location(event: Event) -> str:
    parts = [event.venue, event.address, str(event.city)]
    return ", ".join(part for part in parts if part)


def build_calendar(events, *, name: str) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//1000 Strategists//Trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    first = None
    for event in events:
        if not event.starts_at:
            continue
        zone = event.zone
        entry = icalendar.Event()
        entry.add("uid", f"event-{event.pk}@{settings.PUBLIC_URL.split('://', 1)[-1]}")
        entry.add("dtstamp", stamp)
        # Local times with their TZID (and a VTIMEZONE below), so calendars show the event's
        # own wall-clock time on both sides of a daylight-saving change.
        entry.add("dtstart", event.starts_at.astimezone(zone))
        entry.add(
            "dtend",
            (
                event.ends_at or event.starts_at + dt.timedelta(minutes=event.duration_minutes)
            ).astimezone(zone),
        )
        entry.add("summary", event.title)
        entry.add("location", _location(event))
        entry.add("url", event_url(event))
        entry.add("description", f"{event.description}\n\n{event_url(event)}".strip())
        entry.add("status", "CANCELLED" if event.state == Event.State.CANCELLED else "CONFIRMED")
        calendar.add_component(entry)
        first = min(first, event.starts_at) if first else event.starts_at
    if first is not None:
        calendar.add_missing_timezones(first_date=(first - dt.timedelta(days=366)).date())
    return calendar.to_ical()


def google_calendar_link(event: Event) -> str:
    fmt = "%Y%m%dT%H%M%SZ"
    end = event.ends_at or event.starts_at + dt.timedelta(minutes=event.duration_minutes)
    query = urlencode(
        {
            "action": "TEMPLATE",
            "text": event.title,
            "dates": f"{event.starts_at.astimezone(dt.UTC):{fmt}}/{end.astimezone(dt.UTC):{fmt}}",
            "ctz": event.timezone,
            "location": _location(event),
            "details": event_url(event),
        }
    )
    return f"https://calendar.google.com/calendar/render?{query}"
