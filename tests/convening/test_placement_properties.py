"""Whatever the coordinators try, in whatever order, the schedule never holds a room twice or a
speaker in two places, and no session runs past its slot."""

import contextlib

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from strategists.convening import services
from strategists.convening.models import Conference, Session, TimeSlot
from tests.convening.conftest import at, make_conference, make_session
from tests.factories import UserFactory

MOVES = st.lists(
    st.tuples(st.integers(0, 5), st.integers(0, 1), st.integers(0, 5), st.booleans()),
    min_size=1,
    max_size=25,
)


@pytest.mark.django_db
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(moves=MOVES, lengths=st.lists(st.sampled_from([30, 60, 90, 120]), min_size=6, max_size=6))
def test_no_sequence_of_moves_breaks_the_schedule(world, moves, lengths):
    Session.objects.all().delete()
    Conference.objects.all().delete()
    conference = make_conference(slug="prop")
    # Overlapping slots too: 9:00-10:30 and 10:00-11:30 on day one.
    TimeSlot.objects.create(conference=conference, starts_at=at(0, 10), ends_at=at(0, 11, 30))
    people = [UserFactory() for _ in range(3)]
    sessions = [
        make_session(
            conference,
            title=f"S{n}",
            minutes=lengths[n],
            state=Session.State.DRAFT,
            speakers=[people[n % 3]],
        )
        for n in range(6)
    ]
    rooms = list(conference.rooms.all())
    slots = list(conference.slots.all())[:6]

    for session_index, room_index, slot_index, take_out in moves:
        session = sessions[session_index]
        if take_out:
            services.session_unplace(session=session, by=world.coordinator)
            continue
        with contextlib.suppress(ValidationError):  # refused moves change nothing
            services.session_place(
                session=session,
                room=rooms[room_index],
                slot=slots[slot_index],
                by=world.coordinator,
            )

    placed = list(
        Session.objects.filter(conference=conference, room__isnull=False).prefetch_related(
            "speakers"
        )
    )
    for a in placed:
        slot = next(s for s in slots if s.starts_at == a.starts_at)
        assert a.ends_at <= slot.ends_at
        for b in placed:
            if a.pk < b.pk and a.starts_at < b.ends_at and b.starts_at < a.ends_at:
                assert a.room_id != b.room_id
                assert not {p.pk for p in a.speakers.all()} & {p.pk for p in b.speakers.all()}
