import icalendar
import pytest

from strategists.accounts import demo as accounts_demo
from strategists.convening import demo, seats
from strategists.convening.models import Conference, Proposal, ScheduleEntry, Session

pytestmark = pytest.mark.django_db


def test_demo_builds_labor_organizes_online_once(client):
    accounts_demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)

    conference = Conference.objects.get(slug="labor-organizes-online")
    published = Session.objects.filter(conference=conference, state="published")
    assert (conference.name, conference.days, conference.rooms.count()) == (
        "Labor Organizes Online",
        2,
        4,
    )
    assert published.count() >= 24
    assert published.values("track__skill_area").distinct().count() == 10
    assert {s.starts_at.astimezone(conference.zone).date() for s in published} == set(
        conference.day_list
    )
    assert all(s.speakers.exists() for s in published)
    assert Proposal.objects.filter(conference=conference, state="submitted").count() == 5
    assert ScheduleEntry.objects.filter(person__email="member@example.org").count() == 5
    assert Conference.objects.count() == 1
    delegations = conference.delegations.select_related("organization")
    assert len({d.organization.type for d in delegations}) >= 3
    assert all(0 < d.registrations.count() <= d.seats for d in delegations)
    assert conference.registrations.filter(person__email="member@example.org").exists()
    assert conference.registrations.filter(ticket="scholarship", status="requested").count() == 3

    ics = icalendar.Calendar.from_ical(
        client.get("/conference/labor-organizes-online/agenda.ics").content
    )
    assert sorted(str(e["summary"]) for e in ics.walk("VEVENT")) == sorted(
        published.values_list("title", flat=True)
    )


def test_demo_schedule_has_no_conflicts(db):
    accounts_demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)

    sessions = list(
        Session.objects.filter(conference__slug="labor-organizes-online").prefetch_related(
            "speakers"
        )
    )
    clashes = [
        (a.title, b.title)
        for a in sessions
        for b in sessions
        if a.pk < b.pk
        and a.starts_at < b.ends_at
        and b.starts_at < a.ends_at
        and (
            a.room_id == b.room_id
            or {p.pk for p in a.speakers.all()} & {p.pk for p in b.speakers.all()}
        )
    ]
    assert clashes == []


def test_demo_ticket_types_have_their_own_seats():
    accounts_demo.build(log=lambda message: None, seed=1000)
    demo.build(log=lambda message: None, seed=1000)
    conference = Conference.objects.get(slug="labor-organizes-online")

    shares = [seats.ticket_capacity(conference, t) for t in ("member", "student", "scholarship")]
    students = conference.delegations.filter(ticket="student")

    assert shares == [750, 150, 100]
    assert students.count() == 1
    assert {r.ticket for r in students.get().registrations.all()} <= {"student"}
