"""The agenda as iCalendar (RFC 5545) and as JSON, for calendars and for other sites."""

import datetime as dt

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from strategists.convening.models import Conference, Session


def session_url(conference: Conference, session: Session) -> str:
    path = reverse("convening:session", kwargs={"slug": conference.slug, "pk": session.pk})
    return f"{settings.PUBLIC_URL}{path}"


def agenda_ics(conference: Conference, sessions, *, name: str | None = None) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//1000 Strategists//Convening//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name or conference.name)
    calendar.add("x-wr-timezone", conference.timezone)
    stamp = timezone.now()
    zone = conference.zone
    host = settings.PUBLIC_URL.split("://", 1)[-1]
    first = None
    for session in sessions:
        if not session.starts_at:
            continue
        entry = icalendar.Event()
        entry.add("uid", f"conference-session-{session.pk}@{host}")
        entry.add("dtstamp", stamp)
        # Wall-clock time in the conference's zone with its TZID, and a VTIMEZONE below.
        entry.add("dtstart", session.starts_at.astimezone(zone))
        entry.add("dtend", session.ends_at.astimezone(zone))
        entry.add("summary", session.title)
        entry.add("location", f"{session.room.name}, {conference.venue}".strip(", "))
        entry.add("categories", [session.track.name])
        entry.add("url", session_url(conference, session))
        entry.add("description", f"{session.abstract}\n\n{session_url(conference, session)}")
        calendar.add_component(entry)
        first = min(first, session.starts_at) if first else session.starts_at
    if first is not None:
        calendar.add_missing_timezones(first_date=(first - dt.timedelta(days=366)).date())
    return calendar.to_ical()


def agenda_json(conference: Conference, sessions) -> dict:
    zone = conference.zone
    return {
        "conference": {
            "slug": conference.slug,
            "name": conference.name,
            "timezone": conference.timezone,
            "city": str(conference.city) if conference.city_id else None,
            "venue": conference.venue,
            "days": [day.isoformat() for day in conference.day_list],
        },
        "sessions": [
            {
                "id": session.pk,
                "title": session.title,
                "abstract": session.abstract,
                "format": session.format,
                "level": session.level,
                "track": session.track.name,
                "skill_area": session.track.skill_area_id,
                "room": session.room.name,
                "start": session.starts_at.astimezone(zone).isoformat(),
                "end": session.ends_at.astimezone(zone).isoformat(),
                "languages": sorted(language.code for language in session.languages.all()),
                "accessibility_notes": session.accessibility_notes,
                "speakers": [speaker.name for speaker in session.speakers.all()],
                "url": session_url(conference, session),
            }
            for session in sessions
            if session.starts_at
        ],
    }
