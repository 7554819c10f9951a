import datetime as dt
import json

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse

from strategists.convening.models import Session
from tests.convening.conftest import at, make_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_conference_page_shows_days_zone_and_tracks(client, conference):
    make_session(conference, starts_at=at(0, 9))

    response = client.get("/conference/labor-online-test/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Labor Online Test" in html
    assert "America/Detroit" in html
    assert [t.name for t in response.context["tracks"]] == [t.name for t in conference.tracks.all()]
    assert response.context["session_count"] == 1


def test_unknown_conference_is_404(client, db):
    assert client.get("/conference/nope/").status_code == 404
    assert client.get("/conference/nope/agenda.ics").status_code == 404


def test_agenda_groups_by_local_day_and_track_and_hides_drafts(client, conference):
    email, security = (
        conference.tracks.get(skill_area="email-and-lists"),
        conference.tracks.get(skill_area="digital-security"),
    )
    first = make_session(conference, title="Morning lists", starts_at=at(0, 9), track=email)
    late = make_session(
        conference,
        title="Late security",
        starts_at=at(0, 23),
        minutes=30,
        track=security,
        room=conference.rooms.last(),
    )
    second = make_session(conference, title="Sunday lists", starts_at=at(1, 11), track=email)
    make_session(conference, title="Secret draft", starts_at=at(1, 14), state=Session.State.DRAFT)

    response = client.get("/conference/labor-online-test/agenda/")

    days = response.context["days"]
    # 23:00 in Detroit is the next day in UTC; it stays on the first local day.
    assert [
        (d["day"], [(g["track"].name, [s.title for s in g["sessions"]]) for g in d["tracks"]])
        for d in days
    ] == [
        (dt.date(2027, 3, 13), [(email.name, [first.title]), (security.name, [late.title])]),
        (dt.date(2027, 3, 14), [(email.name, [second.title])]),
    ]
    html = response.content.decode()
    assert "Secret draft" not in html
    assert "23:00" in html  # shown in the conference's zone, not UTC


def test_session_page_shows_speakers_in_local_time(client, conference):
    speaker = UserFactory(name="Sam Speaker")
    session = make_session(conference, starts_at=at(0, 14), speakers=[speaker])

    response = client.get(f"/conference/labor-online-test/sessions/{session.pk}/")

    html = response.content.decode()
    assert "Sam Speaker" in html
    assert "14:00–15:00 EST" in html  # March 13 2027 is before the change to daylight time


def test_draft_session_page_is_not_there_for_the_public(client, conference, world):
    session = make_session(conference, starts_at=at(0, 14), state=Session.State.DRAFT)
    url = f"/conference/labor-online-test/sessions/{session.pk}/"

    assert client.get(url).status_code == 404
    client.force_login(world.coordinator)
    assert client.get(url).status_code == 200


def test_session_of_another_conference_is_not_there(client, conference):
    from tests.convening.conftest import make_conference

    other = make_conference(slug="other-one")
    session = make_session(other, starts_at=at(0, 9))

    assert client.get(f"/conference/labor-online-test/sessions/{session.pk}/").status_code == 404


def test_agenda_ics_parses_and_matches_the_published_sessions(client, conference):
    one = make_session(conference, title="Lists that win", starts_at=at(0, 9))
    two = make_session(
        conference,
        title="Secure your local",
        starts_at=at(1, 11),
        minutes=90,
        room=conference.rooms.last(),
    )
    make_session(conference, title="Unplaced draft", state=Session.State.DRAFT)

    response = client.get("/conference/labor-online-test/agenda.ics")

    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e["dtstart"].dt)
    assert [(str(e["summary"]), e["dtstart"].dt, e["dtend"].dt) for e in events] == [
        (one.title, at(0, 9), at(0, 10)),
        (two.title, at(1, 11), at(1, 12, 30)),
    ]
    assert [str(e["dtstart"].params["TZID"]) for e in events] == [
        "America/Detroit",
        "America/Detroit",
    ]
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Detroit"]
    assert str(events[1]["location"]) == "Room B, Cobo Center"


def test_agenda_json_lists_published_sessions_with_offsets(client, conference):
    speaker = UserFactory(name="Sam Speaker")
    session = make_session(
        conference, title="Lists that win", starts_at=at(0, 9), speakers=[speaker]
    )
    make_session(conference, title="Draft", state=Session.State.DRAFT)

    data = json.loads(client.get("/conference/labor-online-test/agenda.json").content)

    assert data["conference"] == {
        "slug": "labor-online-test",
        "name": "Labor Online Test",
        "timezone": "America/Detroit",
        "city": None,
        "venue": "Cobo Center",
        "days": ["2027-03-13", "2027-03-14"],
    }
    assert data["sessions"] == [
        {
            "id": session.pk,
            "title": "Lists that win",
            "abstract": "About Lists that win.",
            "format": "talk",
            "level": "practitioner",
            "track": session.track.name,
            "skill_area": session.track.skill_area_id,
            "room": "Hall A",
            "start": "2027-03-13T09:00:00-05:00",
            "end": "2027-03-13T10:00:00-05:00",
            "languages": ["en"],
            "accessibility_notes": "",
            "speakers": ["Sam Speaker"],
            "url": settings.PUBLIC_URL
            + reverse("convening:session", kwargs={"slug": "labor-online-test", "pk": session.pk}),
        }
    ]


@pytest.mark.parametrize("count", [1, 3])
def test_agenda_queries_do_not_grow(client, conference, django_assert_num_queries, count):
    for index in range(count):
        make_session(
            conference,
            title=f"S{index}",
            starts_at=at(index % 2, 9),
            speakers=[UserFactory()],
            room=list(conference.rooms.all())[index // 2],
        )

    # conference, sessions, their speakers, their languages
    with django_assert_num_queries(4):
        response = client.get("/conference/labor-online-test/agenda/")
    assert sum(len(g["sessions"]) for d in response.context["days"] for g in d["tracks"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_feed_queries_do_not_grow(client, conference, django_assert_num_queries, count):
    for index in range(count):
        make_session(
            conference,
            title=f"S{index}",
            starts_at=at(index % 2, 9),
            speakers=[UserFactory()],
            room=list(conference.rooms.all())[index // 2],
        )

    with django_assert_num_queries(4):
        ics = client.get("/conference/labor-online-test/agenda.ics")
    with django_assert_num_queries(4):
        data = client.get("/conference/labor-online-test/agenda.json")
    assert len(icalendar.Calendar.from_ical(ics.content).walk("VEVENT")) == count
    assert len(json.loads(data.content)["sessions"]) == count
