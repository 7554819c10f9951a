import datetime as dt
import zoneinfo

import icalendar
import pytest
from django.urls import reverse

from strategists.events import registration_services
from strategists.events.timing import NonexistentLocalTime, local_to_utc, reminder_due
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db
DETROIT = zoneinfo.ZoneInfo("America/Detroit")


def parse(body: bytes):
    calendar = icalendar.Calendar.from_ical(body)
    return calendar, list(calendar.walk("VEVENT"))


def test_event_calendar_keeps_local_times_on_both_sides_of_a_dst_change(client):
    # US clocks spring forward on 2027-03-14: one event the day before, one the day after.
    before = EventFactory(
        starts_at=local_to_utc(dt.date(2027, 3, 13), dt.time(10, 0), "America/Detroit")
    )
    after = EventFactory(
        starts_at=local_to_utc(dt.date(2027, 3, 15), dt.time(10, 0), "America/Detroit")
    )

    entries = []
    for event in (before, after):
        calendar, (entry,) = parse(
            client.get(reverse("events:ics", kwargs={"pk": event.pk})).content
        )
        entries.append(entry)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["America/Detroit"]

    starts = [entry.decoded("dtstart") for entry in entries]
    assert [s.replace(tzinfo=None) for s in starts] == [
        dt.datetime(2027, 3, 13, 10),
        dt.datetime(2027, 3, 15, 10),
    ]
    assert [s.utcoffset() for s in starts] == [dt.timedelta(hours=-5), dt.timedelta(hours=-4)]
    assert [str(e["dtstart"].params["TZID"]) for e in entries] == [
        "America/Detroit",
        "America/Detroit",
    ]


def test_reminders_are_due_at_ten_event_local_the_day_before():
    starts = local_to_utc(dt.date(2027, 3, 14), dt.time(13, 0), "America/Los_Angeles")
    due = reminder_due(starts, "America/Los_Angeles")

    local = due.astimezone(zoneinfo.ZoneInfo("America/Los_Angeles"))
    assert (local.date(), local.time(), local.tzname()) == (
        dt.date(2027, 3, 13),
        dt.time(10, 0),
        "PST",
    )


def test_a_local_time_skipped_by_the_clocks_is_refused():
    with pytest.raises(NonexistentLocalTime):
        local_to_utc(dt.date(2027, 3, 14), dt.time(2, 30), "America/Detroit")


def test_reminder_is_sent_once_at_its_time(django_capture_on_commit_callbacks):
    from django.core import mail

    event = EventFactory(
        starts_at=local_to_utc(dt.date(2027, 5, 20), dt.time(18, 0), "America/Detroit")
    )
    registration_services.registration_create(event=event, person=UserFactory())
    ten_local = dt.datetime(2027, 5, 19, 10, 0, tzinfo=DETROIT)

    with django_capture_on_commit_callbacks(execute=True):
        early = registration_services.reminders_send_due(now=ten_local - dt.timedelta(minutes=1))
        on_time = registration_services.reminders_send_due(now=ten_local)
        again = registration_services.reminders_send_due(now=ten_local + dt.timedelta(hours=1))

    assert (early, on_time, again) == (0, 1, 0)
    assert mail.outbox[-1].subject == f"Tomorrow: {event.title}"
    assert "/trainings/registration/" in mail.outbox[-1].body


def test_personal_feed_lists_only_my_seats(client):
    from strategists.events.tokens import calendar_feed_rotate

    mine, other = EventFactory(title="Mine"), EventFactory(title="Not mine")
    person = UserFactory()
    registration_services.registration_create(event=mine, person=person)
    registration_services.registration_create(event=other, person=UserFactory())
    _, token = calendar_feed_rotate(person=person)

    _, entries = parse(client.get(reverse("events:feed_ics", kwargs={"token": token})).content)

    assert [str(e["summary"]) for e in entries] == ["Mine"]


def test_program_calendar_lists_published_trainings(client):
    EventFactory(title="Published")
    EventFactory(title="Proposed", state="proposed")

    _, entries = parse(client.get(reverse("events:program_ics")).content)

    assert [str(e["summary"]) for e in entries] == ["Published"]
