from urllib.parse import urlsplit

import icalendar
import pytest

from strategists.common.models import AuditEntry
from strategists.convening import services
from strategists.convening.models import Session
from tests.convening.conftest import at, make_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/conference/labor-online-test"


def test_my_schedule_lists_what_i_added_in_time_order(client, conference, world):
    later = make_session(conference, title="Later", starts_at=at(1, 9))
    sooner = make_session(conference, title="Sooner", starts_at=at(0, 14))
    make_session(conference, title="Not mine", starts_at=at(0, 9), room=conference.rooms.last())
    for session in (later, sooner):
        services.schedule_add(person=world.member, session=session)
    client.force_login(world.member)

    response = client.get(f"{URL}/my-schedule/")

    assert [s.title for s in response.context["sessions"]] == ["Sooner", "Later"]
    assert "Not mine" not in response.content.decode()


def test_private_feed_is_shown_once_and_serves_my_sessions(client, conference, world):
    session = make_session(conference, title="Lists that win", starts_at=at(0, 9))
    services.schedule_add(person=world.member, session=session)
    client.force_login(world.member)

    made = client.post(f"{URL}/my-schedule/")
    url = made.context["feed_url"]
    again = client.get(f"{URL}/my-schedule/")
    client.logout()
    feed = client.get(urlsplit(url).path)

    assert "no-cache" in made["Cache-Control"]
    assert url not in again.content.decode()
    calendar = icalendar.Calendar.from_ical(feed.content)
    assert [(str(e["summary"]), e["dtstart"].dt) for e in calendar.walk("VEVENT")] == [
        ("Lists that win", at(0, 9))
    ]
    assert (
        AuditEntry.objects.filter(action="schedule_feed.created", actor=world.member).count() == 1
    )


def test_a_new_feed_retires_the_old_address(client, conference, world):
    _feed, old = services.schedule_feed_rotate(person=world.member, conference=conference)
    _feed, new = services.schedule_feed_rotate(person=world.member, conference=conference)

    assert client.get(f"{URL}/my-schedule/{old}.ics").status_code == 404
    assert client.get(f"{URL}/my-schedule/{new}.ics").status_code == 200
    assert AuditEntry.objects.filter(action="schedule_feed.rotated").count() == 1


def test_a_feed_opens_only_its_own_conference(client, conference, world):
    from tests.convening.conftest import make_conference

    make_conference(slug="other-conf")
    _feed, token = services.schedule_feed_rotate(person=world.member, conference=conference)

    assert client.get(f"/conference/other-conf/my-schedule/{token}.ics").status_code == 404


def test_unpublished_sessions_leave_the_feed(client, conference, world):
    session = make_session(conference, starts_at=at(0, 9))
    services.schedule_add(person=world.member, session=session)
    _feed, token = services.schedule_feed_rotate(person=world.member, conference=conference)
    Session.objects.filter(pk=session.pk).update(state=Session.State.DRAFT)

    calendar = icalendar.Calendar.from_ical(client.get(f"{URL}/my-schedule/{token}.ics").content)

    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize("count", [1, 3])
def test_my_schedule_queries_do_not_grow(
    client, conference, world, django_assert_num_queries, count
):
    rooms = list(conference.rooms.all())
    for n in range(count):
        session = make_session(
            conference,
            title=f"S{n}",
            starts_at=at(n // 2, 9),
            room=rooms[n % 2],
            speakers=[UserFactory()],
        )
        services.schedule_add(person=world.member, session=session)
    _feed, token = services.schedule_feed_rotate(person=world.member, conference=conference)
    client.force_login(world.member)

    # session, user, conference, sessions, speakers, languages, feed
    with django_assert_num_queries(7):
        response = client.get(f"{URL}/my-schedule/")
    # conference, feed, sessions, speakers, languages
    with django_assert_num_queries(5):
        client.get(f"{URL}/my-schedule/{token}.ics")
    assert len(response.context["sessions"]) == count
