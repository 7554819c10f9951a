import pytest

from strategists.common.models import AuditEntry, OutgoingMail
from strategists.convening import services
from strategists.convening.models import ScheduleEntry, Session
from tests.convening.conftest import at, make_session
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = "/conference/labor-online-test"


@pytest.fixture
def grid(conference, world):
    rooms = list(conference.rooms.all())
    slots = list(conference.slots.all())  # 9:00-10:30, 11:00-12:30, 14:00-15:30 on each day
    return rooms, slots


def place(client, session, room, slot, **headers):
    return client.post(
        f"{URL}/schedule/place/",
        {"session": session.pk, "room": room.pk, "slot": slot.pk},
        **headers,
    )


def test_coordinator_places_a_session_in_a_room_and_slot(client, conference, world, grid):
    rooms, slots = grid
    session = make_session(conference, state=Session.State.DRAFT, minutes=60)
    client.force_login(world.coordinator)

    response = place(client, session, rooms[1], slots[1])

    session.refresh_from_db()
    assert response.status_code == 302
    assert (session.room, session.starts_at, session.ends_at) == (rooms[1], at(0, 11), at(0, 12))
    assert (
        AuditEntry.objects.filter(action="session.placed", object_id=str(session.pk)).count() == 1
    )


def test_a_room_twice_is_refused_with_the_reason(client, conference, world, grid):
    rooms, slots = grid
    make_session(conference, title="Already here", room=rooms[0], starts_at=at(0, 9))
    session = make_session(conference, title="Newcomer", state=Session.State.DRAFT)
    client.force_login(world.coordinator)

    response = place(client, session, rooms[0], slots[0])

    session.refresh_from_db()
    assert response.status_code == 400
    assert "Hall A already has “Already here” at that time." in response.content.decode()
    assert session.room is None


def test_a_speaker_in_two_rooms_at_once_is_refused(client, conference, world, grid):
    rooms, slots = grid
    speaker = UserFactory(name="Rosa Twoplaces")
    make_session(
        conference, title="First talk", room=rooms[0], starts_at=at(0, 9), speakers=[speaker]
    )
    session = make_session(
        conference,
        title="Second talk",
        state=Session.State.DRAFT,
        speakers=[speaker, UserFactory()],
    )
    client.force_login(world.coordinator)

    response = place(client, session, rooms[1], slots[0], HTTP_HX_REQUEST="true")

    session.refresh_from_db()
    html = response.content.decode()
    assert response.status_code == 200  # htmx swaps the grid with the reason in it
    assert html.startswith('<div id="grid">')
    assert "Rosa Twoplaces already speaks in “First talk” (Hall A) at that time." in html
    assert session.room is None


def test_a_session_longer_than_its_slot_is_refused(client, conference, world, grid):
    rooms, slots = grid
    session = make_session(conference, title="Marathon", state=Session.State.DRAFT, minutes=120)
    client.force_login(world.coordinator)

    response = place(client, session, rooms[0], slots[0])

    assert "“Marathon” runs 120 minutes; this slot has only 90." in response.content.decode()
    assert Session.objects.get(pk=session.pk).room is None


def test_back_to_back_sessions_do_not_clash(conference, world, grid):
    rooms, slots = grid
    speaker = UserFactory()
    make_session(
        conference, room=rooms[0], starts_at=at(0, 9, 30), minutes=60, speakers=[speaker]
    )  # to 10:30
    session = make_session(conference, state=Session.State.DRAFT, speakers=[speaker])

    services.session_place(session=session, room=rooms[0], slot=slots[1], by=world.coordinator)

    assert Session.objects.get(pk=session.pk).starts_at == at(0, 11)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"session": "abc", "room": "1", "slot": "1"},
        {"session": "999999", "room": "999999", "slot": "999999"},
    ],
)
def test_bad_placement_input_is_refused(client, conference, world, data):
    client.force_login(world.coordinator)

    response = client.post(f"{URL}/schedule/place/", data)

    assert response.status_code == 400
    assert response.context["error"]
    assert Session.objects.filter(room__isnull=False).count() == 0


def test_rooms_and_slots_of_another_conference_are_refused(client, conference, world):
    from tests.convening.conftest import make_conference

    other = make_conference(slug="other-conf")
    session = make_session(conference, state=Session.State.DRAFT)
    client.force_login(world.coordinator)

    response = client.post(
        f"{URL}/schedule/place/",
        {"session": session.pk, "room": other.rooms.first().pk, "slot": other.slots.first().pk},
    )

    assert response.status_code == 400
    assert Session.objects.get(pk=session.pk).room is None


def test_publishing_makes_placed_sessions_public(client, conference, world, grid):
    rooms, _slots = grid
    placed = make_session(
        conference, title="Placed", room=rooms[0], starts_at=at(0, 9), state=Session.State.DRAFT
    )
    waiting = make_session(conference, title="Waiting", state=Session.State.DRAFT)
    client.force_login(world.coordinator)

    client.post(f"{URL}/schedule/publish/")

    conference.refresh_from_db()
    assert Session.objects.get(pk=placed.pk).state == "published"
    assert Session.objects.get(pk=waiting.pk).state == "draft"
    assert conference.schedule_published_at is not None
    assert AuditEntry.objects.get(action="conference.schedule_published").data == {
        "sessions": 1,
        "first": True,
    }
    client.logout()
    assert "Placed" in client.get(f"{URL}/agenda/").content.decode()


def test_moving_a_published_session_mails_the_people_who_follow_it(client, conference, world, grid):
    rooms, slots = grid
    session = make_session(conference, title="Lists that win", room=rooms[0], starts_at=at(0, 9))
    client.force_login(world.member)
    client.post(f"{URL}/sessions/{session.pk}/follow/")
    assert ScheduleEntry.objects.filter(person=world.member, session=session).count() == 1
    client.force_login(world.coordinator)

    place(client, session, rooms[1], slots[2])

    mail = OutgoingMail.objects.get(kind="convening.session_changed")
    assert (mail.to, mail.subject) == ("member@example.net", "Changed: Lists that win")
    assert "Room B" in mail.body
    assert "2 p.m." in mail.body or "14:00" in mail.body  # in the conference's zone


def test_taking_out_a_published_session_mails_followers_and_unpublishes(
    client, conference, world, grid
):
    rooms, _slots = grid
    session = make_session(conference, room=rooms[0], starts_at=at(0, 9))
    services.schedule_add(person=world.member, session=session)
    client.force_login(world.coordinator)

    client.post(f"{URL}/schedule/{session.pk}/unplace/")

    session.refresh_from_db()
    assert (session.room, session.state) == (None, "draft")
    assert (
        OutgoingMail.objects.filter(
            kind="convening.session_changed", to="member@example.net"
        ).count()
        == 1
    )
    assert AuditEntry.objects.filter(action="session.unplaced").count() == 1


def test_draft_changes_mail_nobody(conference, world, grid):
    rooms, slots = grid
    session = make_session(conference, state=Session.State.DRAFT)

    services.session_place(session=session, room=rooms[0], slot=slots[0], by=world.coordinator)

    assert OutgoingMail.objects.filter(kind="convening.session_changed").count() == 0


def test_following_and_unfollowing_are_audited(client, conference, world):
    session = make_session(conference, starts_at=at(0, 9))
    client.force_login(world.member)

    client.post(f"{URL}/sessions/{session.pk}/follow/")
    page = client.get(f"{URL}/sessions/{session.pk}/").content.decode()
    client.post(f"{URL}/sessions/{session.pk}/follow/", {"remove": "1"})

    assert "Remove from my schedule" in page
    assert ScheduleEntry.objects.count() == 0
    assert list(
        AuditEntry.objects.filter(action__startswith="schedule.")
        .values_list("action", flat=True)
        .order_by("pk")
    ) == ["schedule.added", "schedule.removed"]


def test_grid_is_keyboard_friendly_forms(client, conference, world, grid):
    make_session(conference, title="Waiting", state=Session.State.DRAFT)
    client.force_login(world.coordinator)

    html = client.get(f"{URL}/schedule/").content.decode()

    # Every empty cell (2 rooms x 6 slots) has a labelled select and a button, and one form
    # places or moves any session; no drag and drop.
    assert html.count('<input type="hidden" name="room"') == 12
    assert html.count('<select id="place-') == 12 + 3
    assert html.count('<label class="visually-hidden"') == 12
    assert "draggable" not in html


@pytest.mark.parametrize("count", [1, 3])
def test_grid_queries_do_not_grow(client, conference, world, django_assert_num_queries, count):
    rooms = list(conference.rooms.all())
    for n in range(count):
        make_session(
            conference,
            title=f"Placed {n}",
            room=rooms[n % 2],
            starts_at=at(n // 2, 9),
            speakers=[UserFactory()],
        )
        make_session(
            conference, title=f"Waiting {n}", state=Session.State.DRAFT, speakers=[UserFactory()]
        )
    client.force_login(world.coordinator)

    # session, user, conference, rooms, slots, sessions, speakers, languages
    with django_assert_num_queries(8):
        response = client.get(f"{URL}/schedule/")
    assert len(response.context["grid"]["unplaced"]) == count
